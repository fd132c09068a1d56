/**
 * The messages staff get from the events notification consumes: the admins (ADMIN_EMAILS) on
 * business alerts. Each is a `staff_*` template, so one event may give a guest message and
 * staff messages side by side (the record's key is the event and the template).
 */
import { buildView, type ViewExtras } from './message-view';
import { deliverableAddress, type ConsumedEvent, type PlannedMessage } from './message-plan';

export interface StaffDirectory {
  /** Where business alerts go; empty: they are recorded as failed, with the reason. */
  adminEmails: readonly string[];
}

export const NO_ADMINS_ERROR = 'no admin address is configured (ADMIN_EMAILS)';

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

export function planStaffMessages(event: ConsumedEvent, staff: StaffDirectory): PlannedMessage[] {
  switch (event.type) {
    case 'booking.unassigned_near_start':
      return [toAdmins(event, staff, 'staff_unassigned_booking', { hoursBefore: event.data.hoursBefore })];
    default:
      return [];
  }
}
