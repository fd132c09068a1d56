/**
 * The automatic `confirmed -> concierge_assigned` step: the least loaded concierge at the item's
 * location, else anywhere, chosen by the domain rule. `assignInTransaction` takes the first free
 * concierge no other transaction holds (SKIP LOCKED), inside the confirming transaction;
 * `assignConcierge`, when that found nobody, takes one with a capacity compare-and-swap in a
 * transaction of its own. With nobody free the booking stays `confirmed`.
 */
import { TransactionRollbackError } from 'drizzle-orm';
import type { Db, Tx } from '@midas/db';
import { findBooking } from '../db/bookings';
import { availableConcierges, openAssignment, pickFreeConcierge, takeCapacity } from '../db/concierges';
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

/**
 * In the caller's transaction, the booking (just `confirmed`) goes to the free concierge the rule
 * prefers among those not being assigned right now; undefined when there is none.
 */
export async function assignInTransaction(tx: Tx, booking: BookingRow): Promise<BookingRow | undefined> {
  const picked = await pickFreeConcierge(tx, booking.location);
  if (!picked) return undefined;
  // The row is locked and had room: the capacity is ours.
  if (!(await takeCapacity(tx, picked.id))) return undefined;
  const reason = picked.location === booking.location ? 'least_loaded_at_location' : 'least_loaded_elsewhere';
  const assigned = await tryTransition(tx, {
    booking,
    to: 'concierge_assigned',
    actor: SYSTEM,
    reason,
    details: { conciergeId: picked.id },
    conciergeId: picked.id,
  });
  if (!assigned) throw new Error(`booking ${booking.id} left confirmed inside its own transaction`);
  await openAssignment(tx, booking.id, picked.id, reason);
  return assigned;
}
