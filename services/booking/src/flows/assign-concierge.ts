/**
 * The automatic `confirmed -> concierge_assigned` step: the least loaded concierge at the item's
 * location, else anywhere, chosen by the domain rule and taken with a capacity compare-and-swap.
 * With nobody free the booking stays `confirmed`.
 */
import { TransactionRollbackError } from 'drizzle-orm';
import type { Db } from '@midas/db';
import { findBooking } from '../db/bookings';
import { availableConcierges, openAssignment, takeCapacity } from '../db/concierges';
import type { BookingRow } from '../db/schema';
import { chooseConcierge } from '../domain';
import { SYSTEM } from './context';
import { tryTransition } from './transition-booking';

const ATTEMPTS = 5;

export async function assignConcierge(db: Db, bookingId: string): Promise<BookingRow | undefined> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const outcome = await db
      .transaction(async (tx) => {
        const booking = await findBooking(tx, bookingId);
        if (!booking || booking.status !== 'confirmed') return { done: true as const, booking };
        const choice = chooseConcierge(booking.location, await availableConcierges(tx));
        if (!choice) return { done: true as const, booking };
        const assigned = await tryTransition(tx, {
          booking,
          to: 'concierge_assigned',
          actor: SYSTEM,
          reason: choice.reason,
          details: { conciergeId: choice.conciergeId },
          conciergeId: choice.conciergeId,
        });
        if (!assigned) return { done: true as const, booking: undefined };
        // Someone else filled this concierge meanwhile: undo and choose again.
        if (!(await takeCapacity(tx, choice.conciergeId))) return tx.rollback();
        await openAssignment(tx, booking.id, choice.conciergeId, choice.reason);
        return { done: true as const, booking: assigned };
      })
      .catch((err: unknown) => {
        if (err instanceof TransactionRollbackError) return { done: false as const };
        throw err;
      });
    if (outcome.done) return outcome.booking;
  }
  return undefined;
}
