/** Sets the refund policy of an item type; more notice may never refund less (422 otherwise). */
import { RuleViolation } from '@midas/contracts';
import type { Actor } from '../db/audit';
import { recordSet } from '../events/publish/pricing-changes';
import { putRefundPolicy, refundPolicyFor, type RefundPolicyRow } from '../db/refund-policies';
import { refundPolicyProblems } from '../domain/refund';
import type { FlowContext } from './context';

export async function setRefundPolicy(
  deps: FlowContext,
  actor: Actor,
  policy: Omit<RefundPolicyRow, 'updatedAt'>,
): Promise<RefundPolicyRow> {
  const problems = refundPolicyProblems(policy);
  if (problems.length)
    throw new RuleViolation(
      'refund_policy_invalid',
      `The refund policy is inconsistent: ${problems.join('; ')}`,
    );
  const sorted = {
    ...policy,
    windows: [...policy.windows].sort((a, b) => b.minHoursBefore - a.minHoursBefore),
  };
  return deps.db.transaction(async (tx) => {
    const before = await refundPolicyFor(tx, policy.itemType);
    const after = await putRefundPolicy(tx, sorted);
    await recordSet(tx, actor, { entity: 'refund_policy', entityId: policy.itemType, before, after });
    return after;
  });
}
