/**
 * Loyalty points redeemed as a discount. The conversion rate is data per currency
 * (pricing.points_rates): `pointsPerMajor` points are worth one major unit (100 points = EUR 1
 * by default, so one point is one cent), and points may pay at most `maxShareBps` of the price
 * before tax (never all of it: the table keeps that share at or below 90 %).
 *
 * All in integers: the discount is the value of the points rounded down to whole minor units,
 * and only the points that value needs are redeemed, so a customer never gives up points for
 * nothing and a discount never exceeds the cap, the price or what the points are worth.
 */

export interface PointsRate {
  /** Points worth one major unit of the currency (>= 1). */
  pointsPerMajor: number;
  /** The most of the price before tax that points may pay, in basis points (0 .. 9 000). */
  maxShareBps: number;
}

export interface PointsRedemption {
  /** Points taken from the customer's balance (<= the points asked for). */
  points: number;
  /** Minor units off the price: exactly what `points` are worth, at most the cap. */
  discount: number;
}

/** The highest share of a price that points may ever pay, whatever is configured. */
export const MAX_POINTS_SHARE_BPS = 9_000;

/** Minor units `points` are worth, rounded down. */
export function pointsValue(points: number, rate: PointsRate, minorPerMajor: number): bigint {
  if (points <= 0 || rate.pointsPerMajor < 1) return 0n;
  return (BigInt(points) * BigInt(minorPerMajor)) / BigInt(rate.pointsPerMajor);
}

/** The most points may take off `price` (minor units, before tax): its allowed share, rounded down. */
export function pointsCap(price: bigint, rate: PointsRate): bigint {
  if (price <= 0n) return 0n;
  const share = BigInt(Math.max(0, Math.min(MAX_POINTS_SHARE_BPS, Math.floor(rate.maxShareBps))));
  return (price * share) / 10_000n;
}

/**
 * What asking to redeem `requested` points on a price of `price` minor units gives: the discount
 * is the lesser of what the points are worth and the cap, and only the points worth that
 * discount are redeemed. Nothing is redeemed when the points are worth less than a minor unit.
 */
export function redeemPoints(
  requested: number,
  price: bigint,
  rate: PointsRate,
  minorPerMajor: number,
): PointsRedemption {
  if (!Number.isSafeInteger(requested) || requested <= 0 || rate.pointsPerMajor < 1) {
    return { points: 0, discount: 0 };
  }
  const worth = pointsValue(requested, rate, minorPerMajor);
  const cap = pointsCap(price, rate);
  const target = worth < cap ? worth : cap;
  if (target <= 0n) return { points: 0, discount: 0 };
  // The fewest points worth `target` (ceil), then what exactly those points are worth (floor):
  // never more than asked for, and their value never above the target.
  const perMajor = BigInt(rate.pointsPerMajor);
  const minor = BigInt(minorPerMajor);
  let points = (target * perMajor + minor - 1n) / minor;
  if ((points * minor) / perMajor > target) points -= 1n;
  if (points > BigInt(requested)) points = BigInt(requested);
  const discount = (points * minor) / perMajor;
  if (points <= 0n || discount <= 0n) return { points: 0, discount: 0 };
  return { points: Number(points), discount: Number(discount) };
}
