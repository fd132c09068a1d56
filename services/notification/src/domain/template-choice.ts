/**
 * Which customer-facing message, if any, an event calls for. Each event gives at most one
 * message; status changes that the guest does not need to hear about give none.
 */
import type { BookingStatus, NotificationTemplate } from '@midas/contracts';

export const LATE_PAYMENT_REFUND_REASON = 'late_payment_slot_taken';

export type ConsumedEventType =
  | 'booking.status_changed'
  | 'booking.modified'
  | 'booking.reminder_due'
  | 'payment.failed'
  | 'refund.issued'
  | 'booking.unassigned_near_start'
  | 'booking.reassigned'
  | 'booking.calendar_conflict'
  | 'refund.dead_lettered'
  | 'customer.tier_changed'
  | 'payment.deposit_declined';

export type TemplateTrigger =
  | { type: 'booking.status_changed'; from: BookingStatus; to: BookingStatus; reason?: string }
  | { type: 'booking.modified' }
  | { type: 'booking.reminder_due' }
  | { type: 'payment.failed' }
  | { type: 'refund.issued'; reason: string }
  | { type: 'booking.unassigned_near_start' }
  | { type: 'booking.reassigned' }
  | { type: 'booking.calendar_conflict' }
  | { type: 'refund.dead_lettered' }
  | { type: 'customer.tier_changed'; from: string; to: string }
  | { type: 'payment.deposit_declined' };

/**
 * - `confirmed` (payment went through): the confirmation with the itinerary.
 * - `cancelled`: the cancellation with the refund due; the later `refunded` settles that same
 *   refund, so it sends nothing more.
 * - `no_show` and `expired` (hold lapsed unpaid): their notices.
 * - Staff-side steps (`concierge_assigned`, `ready`, check-in and check-out) send nothing.
 * - Refunds send a message only for a payment that arrived after its slot was taken; other
 *   refunds are announced by the cancellation that caused them. That late payment also cancels
 *   the booking (reason `late_payment_slot_taken`): the refund's message, with its amount, is the
 *   one the guest gets, so that cancellation sends nothing.
 */
const STATUS_TEMPLATES: Partial<Record<BookingStatus, NotificationTemplate>> = {
  confirmed: 'booking_confirmed',
  cancelled: 'booking_cancelled',
  no_show: 'booking_no_show',
  expired: 'hold_expired',
};

/** The status changes that may give the guest a message. */
export const GUEST_MESSAGE_STATUSES = Object.keys(STATUS_TEMPLATES) as BookingStatus[];

const TIER_RANK = ['standard', 'premium', 'vvip'];

export function chooseTemplate(trigger: TemplateTrigger): NotificationTemplate | null {
  switch (trigger.type) {
    case 'booking.status_changed':
      if (trigger.from === trigger.to) return null;
      if (trigger.to === 'cancelled' && trigger.reason === LATE_PAYMENT_REFUND_REASON) return null;
      return STATUS_TEMPLATES[trigger.to] ?? null;
    case 'booking.modified':
      return 'booking_modified';
    case 'booking.reminder_due':
      return 'booking_reminder';
    case 'payment.failed':
      return 'payment_failed';
    case 'payment.deposit_declined':
      return 'deposit_declined';
    case 'refund.issued':
      return trigger.reason === LATE_PAYMENT_REFUND_REASON ? 'late_payment_refund' : null;
    case 'customer.tier_changed':
      // Only ever sent for an upgrade; a tier that did not rise is not news.
      return TIER_RANK.indexOf(trigger.to) > TIER_RANK.indexOf(trigger.from) ? 'loyalty_tier_up' : null;
    case 'booking.unassigned_near_start':
    case 'booking.reassigned':
    case 'booking.calendar_conflict':
    case 'refund.dead_lettered':
      // For staff only (domain/staff-plan.ts).
      return null;
  }
}
