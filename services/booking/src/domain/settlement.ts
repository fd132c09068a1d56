/**
 * Money owed between a booking and its customer: what a cancellation may refund, and what a
 * change of dates or add-ons turns into (a new charge, a refund, or nothing). Integer minor units.
 */

export interface Ledger {
  /** Charges that succeeded, minus refunds that were issued or are on their way. */
  paidNet: number;
  /** Charges created but not yet paid (e.g. the difference of an earlier change). */
  pendingCharges: number;
}

/** The refund a cancellation issues: what the policy grants, never more than what was actually paid. */
export function cancellationRefund(policyAmount: number, ledger: Ledger): number {
  return Math.max(0, Math.min(policyAmount, ledger.paidNet));
}

export type Settlement =
  { kind: 'none' } | { kind: 'charge'; amount: number } | { kind: 'refund'; amount: number };

/**
 * What a re-priced booking settles to: the customer owes `newTotal` and only money actually
 * received counts toward it. A charge still pending is a promise, not a payment: counting it would
 * let a change be refunded from money that never came in. A lower price refunds the surplus, never
 * more than was paid.
 */
export function settlementForNewTotal(
  newTotal: number,
  ledger: Pick<Ledger, 'paidNet'> & Partial<Ledger>,
): Settlement {
  const paid = Math.max(0, ledger.paidNet);
  const diff = newTotal - paid;
  if (diff > 0) return { kind: 'charge', amount: diff };
  const refund = Math.min(-diff, paid);
  return refund > 0 ? { kind: 'refund', amount: refund } : { kind: 'none' };
}

export type ForceMajeureVerdict = { ok: true } | { ok: false; reason: 'admin_only' };

/** Force majeure waives the policy (100 %, no fee), so only an admin may invoke it. */
export function judgeForceMajeure(forceMajeure: boolean, isAdmin: boolean): ForceMajeureVerdict {
  return !forceMajeure || isAdmin ? { ok: true } : { ok: false, reason: 'admin_only' };
}

export interface RefundableCharge {
  id: string;
  /** What is left to refund from this charge. */
  refundable: number;
}

/**
 * Spreads a refund over the charges it can come back from, most recent first (a change's
 * surplus goes back from the change's own charge when it can), never more than each has left.
 */
export function splitRefund(
  amount: number,
  charges: readonly RefundableCharge[],
): { chargeId: string; amount: number }[] {
  const parts: { chargeId: string; amount: number }[] = [];
  let left = amount;
  for (const charge of charges) {
    if (left <= 0) break;
    const take = Math.min(left, Math.max(0, charge.refundable));
    if (take > 0) parts.push({ chargeId: charge.id, amount: take });
    left -= take;
  }
  return parts;
}
