/**
 * Service tiers and their multipliers. The tier priced is the one the customer chooses; a
 * customer's loyalty tier brings perks (pricing.loyalty_perks), never a dearer service tier.
 */
import { TIERS, type Tier } from '@midas/contracts';

export type { Tier };
export { TIERS };

/** Tier multipliers must keep standard <= premium <= vvip, so a better tier never costs less. */
export function tierOrderProblem(multipliers: Record<Tier, number>): string | undefined {
  for (let i = 1; i < TIERS.length; i++) {
    const lower = TIERS[i - 1]!;
    const upper = TIERS[i]!;
    if (multipliers[lower] > multipliers[upper]) {
      return `the ${upper} multiplier must be at least the ${lower} multiplier`;
    }
  }
  return undefined;
}
