/**
 * Customer loyalty: points earned on paid amounts by the customer's tier multiplier, lifetime
 * value per currency, and automatic upgrades when lifetime value (spending) or the number of
 * completed bookings (booking history) crosses a tier's threshold.
 * Tiers and thresholds are data (booking.loyalty_tiers); these functions only apply them.
 */
import { minorUnitsPerMajor } from '@midas/contracts';

export const LOYALTY_TIERS = ['standard', 'premium', 'vvip'] as const;
export type LoyaltyTier = (typeof LOYALTY_TIERS)[number];

export interface TierRule {
  tier: LoyaltyTier;
  currency: string;
  /** Lifetime value in minor units of `currency` from which the tier applies. */
  minLifetimeValue: number;
  /** Points per major unit paid, in thousandths (1300 = x1.3), integer so no float rounding creeps in. */
  pointsPermille: number;
  /** Completed bookings from which the tier applies whatever the spend; null or unset: spend only. */
  minCompletedBookings?: number | null;
}

export function tierRank(tier: LoyaltyTier): number {
  return LOYALTY_TIERS.indexOf(tier);
}

/** Points for an amount paid, rounded down to whole points: floor(major units x multiplier). */
export function pointsFor(amountMinor: number, currency: string, pointsPermille: number): number {
  if (amountMinor <= 0) return 0;
  return Math.floor((amountMinor * pointsPermille) / (1000 * minorUnitsPerMajor(currency)));
}

/** The points multiplier of a tier; a tier without a rule earns at the standard rate of 1. */
export function pointsPermilleOf(tier: LoyaltyTier, rules: readonly TierRule[]): number {
  return rules.find((r) => r.tier === tier)?.pointsPermille ?? 1000;
}

/**
 * The tier a customer holds after their lifetime values or completed bookings changed: the highest
 * tier whose spend threshold any of their currencies meets, or whose completed-bookings threshold
 * their history meets, and never lower than the tier they already have (no automatic downgrade).
 */
export function tierAfter(
  current: LoyaltyTier,
  lifetimeValues: Readonly<Record<string, number>>,
  rules: readonly TierRule[],
  completedBookings = 0,
): LoyaltyTier {
  let best = current;
  for (const rule of rules) {
    const value = lifetimeValues[rule.currency];
    const bySpend = value !== undefined && value >= rule.minLifetimeValue;
    const byHistory = rule.minCompletedBookings != null && completedBookings >= rule.minCompletedBookings;
    if ((bySpend || byHistory) && tierRank(rule.tier) > tierRank(best)) best = rule.tier;
  }
  return best;
}

export interface CustomerStanding {
  tier: LoyaltyTier;
  points: number;
  lifetimeValues: Record<string, number>;
  /** Bookings of theirs that reached `completed`. */
  completedBookings?: number;
}

/** A customer's standing after one more of their bookings was completed. */
export function applyCompletedBooking(
  standing: CustomerStanding,
  rules: readonly TierRule[],
): CustomerStanding {
  const completedBookings = (standing.completedBookings ?? 0) + 1;
  return {
    ...standing,
    completedBookings,
    tier: tierAfter(standing.tier, standing.lifetimeValues, rules, completedBookings),
  };
}

/** A customer's standing after a settled payment (positive amount) or refund (negative amount). */
export function applyPayment(
  standing: CustomerStanding,
  amountMinor: number,
  currency: string,
  rules: readonly TierRule[],
): CustomerStanding & { pointsDelta: number } {
  const permille = pointsPermilleOf(standing.tier, rules);
  const pointsDelta =
    amountMinor >= 0
      ? pointsFor(amountMinor, currency, permille)
      : -Math.min(standing.points, pointsFor(-amountMinor, currency, permille));
  const lifetimeValues = {
    ...standing.lifetimeValues,
    [currency]: Math.max(0, (standing.lifetimeValues[currency] ?? 0) + amountMinor),
  };
  return {
    tier: tierAfter(standing.tier, lifetimeValues, rules, standing.completedBookings ?? 0),
    points: standing.points + pointsDelta,
    lifetimeValues,
    completedBookings: standing.completedBookings ?? 0,
    pointsDelta,
  };
}
