/**
 * Loyalty points redeemed on bookings: taken from the balance by a conditional update (two
 * bookings racing for the same points: the second finds too few and takes none) and given back
 * at most once per booking (`restored_at` is set by a compare-and-swap).
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { customers, pointsRedemptions, type PointsRedemptionRow } from './schema';
import { firstRow } from './first-row';

/** Takes `points` from the customer's balance for the booking; false when the balance is short. */
export async function takePoints(
  tx: Tx,
  redemption: { bookingId: string; customerId: string; points: number },
): Promise<boolean> {
  const [left] = await tx
    .update(customers)
    .set({ points: sql`${customers.points} - ${redemption.points}`, updatedAt: sql`now()` })
    .where(and(eq(customers.id, redemption.customerId), sql`${customers.points} >= ${redemption.points}`))
    .returning({ points: customers.points });
  if (!left) return false;
  await tx.insert(pointsRedemptions).values(redemption);
  return true;
}

/** Gives a booking's redeemed points back, once; returns the redemption when this call did. */
export async function restorePoints(
  tx: Tx,
  bookingId: string,
  reason: string,
): Promise<PointsRedemptionRow | undefined> {
  const [restored] = await tx
    .update(pointsRedemptions)
    .set({ restoredAt: sql`now()`, restoredReason: reason })
    .where(and(eq(pointsRedemptions.bookingId, bookingId), isNull(pointsRedemptions.restoredAt)))
    .returning();
  if (!restored) return undefined;
  await tx
    .update(customers)
    .set({ points: sql`${customers.points} + ${restored.points}`, updatedAt: sql`now()` })
    .where(eq(customers.id, restored.customerId));
  return restored;
}

export const redemptionOf = (tx: Tx, bookingId: string) =>
  firstRow(tx, pointsRedemptions, eq(pointsRedemptions.bookingId, bookingId));

/** The booking's redemption while its points are spent (not given back), locked until the transaction ends. */
export const activeRedemptionOf = (tx: Tx, bookingId: string) =>
  firstRow(
    tx,
    pointsRedemptions,
    and(eq(pointsRedemptions.bookingId, bookingId), isNull(pointsRedemptions.restoredAt)),
    'update',
  );

/** The booking's new terms redeem only `points` of what it holds: the rest goes back to the balance. */
export async function reduceRedemption(tx: Tx, bookingId: string, points: number): Promise<number> {
  const held = await activeRedemptionOf(tx, bookingId);
  if (!held || points >= held.points) return 0;
  const back = held.points - points;
  if (points > 0) {
    await tx.update(pointsRedemptions).set({ points }).where(eq(pointsRedemptions.bookingId, bookingId));
  } else {
    await tx
      .update(pointsRedemptions)
      .set({ restoredAt: sql`now()`, restoredReason: 'modified' })
      .where(eq(pointsRedemptions.bookingId, bookingId));
  }
  await tx
    .update(customers)
    .set({ points: sql`${customers.points} + ${back}`, updatedAt: sql`now()` })
    .where(eq(customers.id, held.customerId));
  return back;
}
