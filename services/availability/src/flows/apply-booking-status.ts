/**
 * Frees allocations as booking reports them: a booking that is cancelled or expires frees its
 * slot, a no-show frees the rest of its period. Nothing else concerns availability: a booking is
 * confirmed only after availability's own `confirm` answered, which booked the slot already, so
 * the booking consumer binds these statuses alone (FREEING_STATUSES).
 */
import type { BookingStatus } from '@midas/contracts';
import type { Tx } from '@midas/db';
import type { Allocation } from '../db/allocations';
import { releaseSlot } from './release-slot';

export const FREEING_STATUSES = ['cancelled', 'expired', 'no_show'] as const satisfies BookingStatus[];
export type FreeingStatus = (typeof FREEING_STATUSES)[number];

export interface StatusChange {
  bookingId: string;
  to: BookingStatus;
  start: Date;
  /** When the change happened (the event's occurredAt). */
  at: Date;
}

export function freesSlot(to: BookingStatus): to is FreeingStatus {
  return (FREEING_STATUSES as readonly BookingStatus[]).includes(to);
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
    default:
      return [];
  }
}
