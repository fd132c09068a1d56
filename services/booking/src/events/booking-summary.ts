/** The common body of booking.* events: enough for notification and calendar to act without asking back. */
import type { BookingSummary } from '@midas/contracts';
import type { BookingRow } from '../db/schema';

export function summaryOf(b: BookingRow): BookingSummary {
  return {
    bookingId: b.id,
    itemId: b.itemId,
    itemType: b.itemType,
    itemName: b.itemName,
    location: b.location,
    timezone: b.timezone,
    start: b.startAt.toISOString(),
    end: b.endAt.toISOString(),
    status: b.status,
    currency: b.currency,
    total: b.total,
    guest: b.guestEmail
      ? { name: b.guestName ?? '', email: b.guestEmail, phone: b.guestPhone ?? undefined }
      : undefined,
    customerId: b.customerId ?? undefined,
    conciergeId: b.conciergeId ?? undefined,
  };
}
