/**
 * Keeps allocations in step with bookings as booking reports them: a booking that is cancelled
 * or expires frees its slot, a no-show frees the rest of its period, and a booking confirmed
 * while its hold is still a hold gets its slot booked (should the confirm call have been lost).
 */
import type { BookingStatus } from '@midas/contracts';
import type { Tx } from '@midas/db';
import { convertToBooking, findByRef, type Allocation } from '../db/allocations';
import { releaseSlot } from './release-slot';

const OCCUPYING: ReadonlySet<BookingStatus> = new Set([
  'confirmed',
  'concierge_assigned',
  'ready',
  'in_progress',
]);

export interface StatusChange {
  bookingId: string;
  to: BookingStatus;
  start: Date;
  /** When the change happened (the event's occurredAt). */
  at: Date;
}

export async function applyBookingStatus(tx: Tx, change: StatusChange): Promise<Allocation[]> {
  switch (change.to) {
    case 'cancelled':
    case 'expired':
      return releaseSlot(tx, { bookingId: change.bookingId, reason: change.to });
    case 'no_show': {
      const from = new Date(Math.max(change.at.getTime(), change.start.getTime()));
      return releaseSlot(tx, { bookingId: change.bookingId, from, reason: 'no_show' });
    }
    default: {
      if (!OCCUPYING.has(change.to)) return [];
      const hold = (await findByRef(tx, change.bookingId)).find((r) => r.kind === 'hold' && r.active);
      if (!hold) return [];
      const booked = await convertToBooking(tx, hold.id, change.bookingId);
      return booked ? [booked] : [];
    }
  }
}
