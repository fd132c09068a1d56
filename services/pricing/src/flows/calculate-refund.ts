/** The refund owed for a cancelled or no-show booking, from the item type's refund policy. */
import { isKnownCurrency, RuleViolation, ValidationFailed, type ItemType } from '@midas/contracts';
import { refundPolicyFor } from '../db/refund-policies';
import { calculateRefund as refundByPolicy, type RefundDecision } from '../domain/refund';
import type { FlowContext } from './context';

export interface RefundQuestion {
  itemType: ItemType;
  start: Date;
  cancelledAt: Date;
  paidAmount: number;
  currency: string;
  forceMajeure: boolean;
  reason: 'cancellation' | 'no_show';
}

export async function calculateRefund(deps: FlowContext, q: RefundQuestion): Promise<RefundDecision> {
  if (!isKnownCurrency(q.currency)) {
    throw new ValidationFailed('Invalid request: currency', [
      { field: 'currency', message: 'is not a known ISO 4217 currency' },
    ]);
  }
  const policy = await refundPolicyFor(deps.db, q.itemType);
  if (!policy) throw new RuleViolation('no_refund_policy', `No refund policy is set for ${q.itemType}`);
  return refundByPolicy(
    {
      itemType: policy.itemType,
      windows: policy.windows,
      processingFeeBps: policy.processingFeeBps,
      noShowRefundBps: policy.noShowRefundBps,
    },
    q,
  );
}
