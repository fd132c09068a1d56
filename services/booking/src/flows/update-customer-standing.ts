/**
 * Steps of the payment and completion flows: loyalty points, lifetime value, completed bookings
 * and automatic tier upgrade, in their transaction. An upgrade is told to the customer through
 * `customer.tier_changed` in the same transaction (notification writes them the tier-up email).
 */
import type { Tx } from '@midas/db';
import { enqueueEvent } from '@midas/messaging';
import { findProfile } from '../db/customer-profiles';
import { loadTierRules, lockStanding, saveStanding } from '../db/customers';
import {
  applyCompletedBooking,
  applyPayment,
  tierRank,
  type CustomerStanding,
  type LoyaltyTier,
} from '../domain';
import { summaryOf, type SummarizedBooking } from '../events/publish/booking-summary';

type TierChangeCause = 'payment' | 'completed_booking';

/** `amount` is positive for a settled charge and negative for a settled refund. */
export async function updateCustomerStanding(
  tx: Tx,
  booking: SummarizedBooking,
  amount: number,
  currency: string,
): Promise<void> {
  const customerId = booking.customerId;
  if (!customerId || amount === 0) return;
  const rules = await loadTierRules(tx);
  const standing = await lockStanding(tx, customerId);
  const next = applyPayment(standing, amount, currency, rules);
  await saveStanding(tx, customerId, next);
  await announceUpgrade(tx, booking, customerId, standing.tier, next, 'payment');
}

/** One more completed booking of the customer: their booking history may upgrade their tier. */
export async function recordCompletedBooking(tx: Tx, booking: SummarizedBooking): Promise<void> {
  const customerId = booking.customerId;
  if (!customerId) return;
  const rules = await loadTierRules(tx);
  const standing = await lockStanding(tx, customerId);
  const next = applyCompletedBooking(standing, rules);
  await saveStanding(tx, customerId, next);
  await announceUpgrade(tx, booking, customerId, standing.tier, next, 'completed_booking');
}

/** Tells the customer of a higher tier, at their profile's address when they saved one. */
async function announceUpgrade(
  tx: Tx,
  booking: SummarizedBooking,
  customerId: string,
  from: LoyaltyTier,
  next: CustomerStanding,
  cause: TierChangeCause,
): Promise<void> {
  if (tierRank(next.tier) <= tierRank(from)) return;
  const summary = summaryOf(booking);
  const profile = await findProfile(tx, customerId);
  const guest = profile
    ? { name: profile.name, email: profile.email, ...(profile.phone ? { phone: profile.phone } : {}) }
    : summary.guest;
  await enqueueEvent(tx, 'booking', {
    type: 'customer.tier_changed',
    data: { ...summary, guest, customerId, from, to: next.tier, cause, points: next.points },
  });
}
