/**
 * The messages staff get from the events notification consumes: the admins (ADMIN_EMAILS) on
 * business alerts; the assigned concierge (whose contact booking puts in the event) on an
 * assignment, a hand-over, a change or a cancellation of their booking; on a calendar conflict the
 * booking's concierge, or the admins when it has none or no address that can be written to. Each
 * is a `staff_*` template, so one event may give a guest message and staff messages side by side
 * (the record's key is the event and the template).
 */
import type { BookingStatus, ConciergeContact } from '@midas/contracts';
import { buildView, type ViewExtras } from './message-view';
import {
  deadLetteredRefundExtras,
  declinedDepositExtras,
  deliverableAddress,
  type ConsumedEvent,
  type PlannedMessage,
} from './message-plan';

export interface StaffDirectory {
  /** Where business alerts go; empty: they are recorded as failed, with the reason. */
  adminEmails: readonly string[];
}

export const NO_ADMINS_ERROR = 'no admin address is configured (ADMIN_EMAILS)';
export const NO_CONCIERGE_ADDRESS_ERROR = 'the concierge has no email address to write to';

/** All configured admins in one message (one To: line), or none when no address is usable. */
export function adminRecipients(staff: StaffDirectory): string | null {
  const usable = staff.adminEmails.map((a) => deliverableAddress(a)).filter((a) => a !== null);
  return usable.length ? usable.join(', ') : null;
}

function toAdmins(
  event: ConsumedEvent,
  staff: StaffDirectory,
  template: PlannedMessage['template'],
  extras: ViewExtras,
): PlannedMessage {
  const to = adminRecipients(staff);
  return {
    template,
    bookingId: event.data.bookingId,
    to,
    view: buildView(event.data, extras),
    ...(to ? {} : { missingRecipient: NO_ADMINS_ERROR }),
  };
}

/**
 * To one concierge. An event without the concierge's contact (no concierge assigned, or one
 * since removed) gives no message: there is nobody to tell.
 */
function toConcierge(
  event: ConsumedEvent,
  concierge: ConciergeContact | undefined,
  template: PlannedMessage['template'],
  extras: ViewExtras,
): PlannedMessage[] {
  if (!concierge) return [];
  const to = deliverableAddress(concierge.email);
  return [
    {
      template,
      bookingId: event.data.bookingId,
      to,
      view: buildView(event.data, { ...extras, staffName: concierge.name }),
      ...(to ? {} : { missingRecipient: NO_CONCIERGE_ADDRESS_ERROR }),
    },
  ];
}

/** To the booking's concierge when the event names one that can be written to, else to the admins: someone is told. */
function toConciergeOrAdmins(
  event: ConsumedEvent,
  staff: StaffDirectory,
  concierge: ConciergeContact | undefined,
  template: PlannedMessage['template'],
  extras: ViewExtras,
): PlannedMessage[] {
  if (concierge && deliverableAddress(concierge.email))
    return toConcierge(event, concierge, template, extras);
  return [toAdmins(event, staff, template, extras)];
}

/** The status changes that may give staff a message (planStaffMessages). */
export const STAFF_MESSAGE_STATUSES: readonly BookingStatus[] = ['concierge_assigned', 'cancelled'];

export function planStaffMessages(event: ConsumedEvent, staff: StaffDirectory): PlannedMessage[] {
  switch (event.type) {
    case 'booking.unassigned_near_start':
      return [toAdmins(event, staff, 'staff_unassigned_booking', { hoursBefore: event.data.hoursBefore })];
    case 'payment.failed':
      return [
        toAdmins(event, staff, 'staff_payment_failed', {
          reason: event.data.reason,
          detail: event.data.provider,
        }),
      ];
    case 'booking.status_changed': {
      const { from, to, reason, concierge } = event.data;
      if (from === to) return [];
      if (to === 'concierge_assigned') {
        return toConcierge(event, concierge, 'staff_concierge_assigned', { reason });
      }
      // A cancellation of a booking that had a concierge: an unassigned one has nobody to tell.
      if (to === 'cancelled' && event.data.conciergeId) {
        return toConcierge(event, concierge, 'staff_booking_cancelled', { reason });
      }
      return [];
    }
    case 'booking.modified':
      return event.data.conciergeId
        ? toConcierge(event, event.data.concierge, 'staff_booking_modified', {
            previous: event.data.previous,
          })
        : [];
    case 'booking.reassigned':
      return [
        ...toConcierge(event, event.data.concierge, 'staff_concierge_assigned', {
          reason: event.data.reason,
        }),
        ...(event.data.previousConcierge?.id === event.data.concierge?.id
          ? []
          : toConcierge(event, event.data.previousConcierge, 'staff_concierge_released', {
              reason: event.data.reason,
            })),
      ];
    case 'booking.calendar_conflict':
      return toConciergeOrAdmins(event, staff, event.data.concierge, 'staff_calendar_conflict', {
        conflict: event.data.conflict,
      });
    case 'refund.dead_lettered':
      return [
        toAdmins(event, staff, 'staff_refund_dead_lettered', {
          ...deadLetteredRefundExtras(event.data),
          // The refund's id is what staff act on (POST /v1/payments/refunds/:id/retry or /resolve).
          refundId: event.data.paymentId,
        }),
      ];
    case 'payment.deposit_declined':
      return [toAdmins(event, staff, 'staff_deposit_declined', declinedDepositExtras(event.data))];
    default:
      return [];
  }
}
