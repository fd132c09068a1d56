/**
 * Service tiers and their multipliers. A customer of a tier always receives at least that
 * tier's service, so the tier priced is the higher of the one asked for and the customer's.
 */
import { TIERS, type Tier } from '@midas/contracts';

export type { Tier };
export { TIERS };

export function higherTier(a: Tier | undefined, b: Tier | undefined): Tier {
  const rank = (t: Tier | undefined) => (t ? TIERS.indexOf(t) : 0);
  return TIERS[Math.max(rank(a), rank(b))] ?? 'standard';
}

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
