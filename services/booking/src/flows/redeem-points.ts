/**
 * Loyalty points redeemed on a booking: who may redeem them, and giving them back when the
 * booking will not take place (cancelled, or expired unpaid) — once, however often that news
 * is delivered. A no-show keeps them spent, as it keeps the money the refund policy keeps. A
 * change of terms re-prices with the same points; what the new price's cap no longer lets them
 * pay goes back. Only a change that lowers the price can redeem fewer (the cap grows with the
 * price), and such a change applies at once, so that is where the rest is given back.
 */
import { Forbidden, RuleViolation, Unauthenticated, type BookingStatus } from '@midas/contracts';
import type { Tx } from '@midas/db';
import type { Principal } from '@midas/http';
import { reduceRedemption, restorePoints } from '../db/points';

/** Only a signed-in customer holds points: guests are asked to sign in, staff are refused. */
export function assertMayRedeemPoints(principal: Principal, redeemPoints: number | undefined): void {
  if (redeemPoints === undefined) return;
  if (principal.role === 'customer' && principal.sub) return;
  if (principal.role === 'guest' || !principal.sub) {
    throw new Unauthenticated('Sign in as a customer to redeem loyalty points');
  }
  throw new Forbidden('Only customers have loyalty points to redeem');
}

export function insufficientPoints(points: number): RuleViolation {
  return new RuleViolation(
    'insufficient_points',
    `Your balance no longer holds the ${points} loyalty points this booking redeems`,
  );
}

/** Statuses in which a booking's redeemed points go back to the customer. */
const RESTORING: ReadonlySet<BookingStatus> = new Set(['cancelled', 'expired']);

/** In the transition's transaction: returns the points given back (0 when none were, or already). */
export async function restoreRedeemedPoints(tx: Tx, bookingId: string, to: BookingStatus): Promise<number> {
  if (!RESTORING.has(to)) return 0;
  const restored = await restorePoints(tx, bookingId, to);
  return restored?.points ?? 0;
}

/** New terms applied: the points their price redeems stay spent, the rest goes back. */
export async function keepRedeemedPoints(
  tx: Tx,
  bookingId: string,
  pointsNowRedeemed: number,
): Promise<number> {
  return reduceRedemption(tx, bookingId, pointsNowRedeemed);
}
