/** Steps of the payment and completion flows: loyalty points, lifetime value, completed bookings and automatic tier upgrade, in their transaction. */
import type { Tx } from '@midas/db';
import { loadTierRules, lockStanding, saveStanding } from '../db/customers';
import { applyCompletedBooking, applyPayment } from '../domain';

/** `amount` is positive for a settled charge and negative for a settled refund. */
export async function updateCustomerStanding(
  tx: Tx,
  customerId: string | null,
  amount: number,
  currency: string,
): Promise<void> {
  if (!customerId || amount === 0) return;
  const rules = await loadTierRules(tx);
  const standing = await lockStanding(tx, customerId);
  const next = applyPayment(standing, amount, currency, rules);
  await saveStanding(tx, customerId, next);
}

/** One more completed booking of the customer: their booking history may upgrade their tier. */
export async function recordCompletedBooking(tx: Tx, customerId: string | null): Promise<void> {
  if (!customerId) return;
  const rules = await loadTierRules(tx);
  const standing = await lockStanding(tx, customerId);
  await saveStanding(tx, customerId, applyCompletedBooking(standing, rules));
}
