/** Sets an item's rate card overrides (unit, rate, daily cap, minimum charge, location adjustment). */
import { RuleViolation } from '@midas/contracts';
import type { Actor } from '../db/audit';
import { recordSet } from '../events/publish/pricing-changes';
import { putRateCard, rateCardFor, type RateCardRow } from '../db/rate-cards';
import { resolveItem } from './resolve-item';
import type { FlowContext } from './context';

export type RateCardChange = Partial<Omit<RateCardRow, 'itemId' | 'updatedAt'>>;

/** The item must be known (404 otherwise), so a daily cap can be checked against its effective unit. */
export async function setRateCard(
  deps: FlowContext,
  actor: Actor,
  itemId: string,
  change: RateCardChange,
): Promise<RateCardRow> {
  const item = await resolveItem(deps, itemId);
  return deps.db.transaction(async (tx) => {
    const before = await rateCardFor(tx, itemId);
    const next = {
      itemId,
      unit: before?.unit ?? null,
      amount: before?.amount ?? null,
      dailyCap: before?.dailyCap ?? null,
      minimumCharge: before?.minimumCharge ?? null,
      locationAdjustmentBps: before?.locationAdjustmentBps ?? null,
      ...change,
    };
    if (next.dailyCap !== null && (next.unit ?? item.rateUnit) !== 'hour') {
      throw new RuleViolation('daily_cap_needs_hourly_rate', 'A daily cap applies to hourly rates only');
    }
    const after = await putRateCard(tx, next);
    await recordSet(tx, actor, { entity: 'rate_card', entityId: itemId, before, after });
    return after;
  });
}
