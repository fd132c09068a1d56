/** Step of the payment flows: loyalty points, lifetime value and automatic tier upgrade, in the payment's transaction. */
import type { Tx } from '@midas/db';
import { loadTierRules, lockStanding, saveStanding } from '../db/customers';
import { applyPayment } from '../domain';

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
