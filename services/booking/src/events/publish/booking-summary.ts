/** The common body of booking.* events: enough for notification and calendar to act without asking back. */
import type { BookingSummary } from '@midas/contracts';
import type { BookingRow } from '../../db/schema';

/** The fields of a booking that its events carry. */
export type SummarizedBooking = Pick<
  BookingRow,
  | 'id'
  | 'status'
  | 'itemId'
  | 'itemType'
  | 'itemName'
  | 'location'
  | 'timezone'
  | 'startAt'
  | 'endAt'
  | 'currency'
  | 'total'
  | 'guestName'
  | 'guestEmail'
  | 'guestPhone'
  | 'customerId'
  | 'conciergeId'
>;

/** What was booked and when, as events and the API both write it (times in UTC). */
export function itemAndPeriodOf(
  b: Pick<BookingRow, 'itemId' | 'itemType' | 'itemName' | 'location' | 'timezone' | 'startAt' | 'endAt'>,
) {
  return {
    itemId: b.itemId,
    itemType: b.itemType,
    itemName: b.itemName,
    location: b.location,
    timezone: b.timezone,
    start: b.startAt.toISOString(),
    end: b.endAt.toISOString(),
  };
}

export function summaryOf(b: SummarizedBooking): BookingSummary {
  return {
    bookingId: b.id,
    ...itemAndPeriodOf(b),
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
