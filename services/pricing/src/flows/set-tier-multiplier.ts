/** Sets one tier's multiplier, keeping standard <= premium <= vvip (422 otherwise). */
import { RuleViolation, type Tier } from '@midas/contracts';
import type { Actor } from '../db/audit';
import { recordChange } from '../events/publish/pricing-changes';
import { setTierMultiplier as storeTierMultiplier, tierMultipliers } from '../db/tiers';
import { tierOrderProblem } from '../domain/tier';
import type { FlowContext } from './context';

export async function setTierMultiplier(
  deps: FlowContext,
  actor: Actor,
  code: Tier,
  multiplierBps: number,
): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const current = await tierMultipliers(tx, true);
    const next = { ...current, [code]: multiplierBps };
    const problem = tierOrderProblem(next);
    if (problem)
      throw new RuleViolation(
        'tier_order',
        `Tier multipliers must keep standard <= premium <= vvip: ${problem}`,
      );
    await storeTierMultiplier(tx, code, multiplierBps);
    await recordChange(tx, actor, {
      action: 'update',
      entity: 'tier',
      entityId: code,
      before: { code, multiplierBps: current[code] },
      after: { code, multiplierBps },
    });
    return multiplierBps;
  });
}
