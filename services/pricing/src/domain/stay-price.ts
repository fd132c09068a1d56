/**
 * The price of a stay as itemised quote lines that add up exactly to the total.
 *
 * rental  = Σ over charged units of (rate × season multiplier of the unit's local date),
 *           hourly units capped per local day before the season applies,
 *           raised to the minimum charge when below it
 * × tier multiplier
 * × (1 + location adjustment)
 * − loyalty perk (a discount on the stay so far)
 * + add-ons (flat, per rate unit, or per guest; never multiplied)
 * − loyalty points redeemed (their value, capped at a share of the price so far: domain/points.ts)
 * + tax (exclusive: added on top; inclusive: already inside, shown for information)
 *
 * Each line is the difference between two running totals rounded with the one rounding rule,
 * so lines always sum to the total and every running total is monotonic in its inputs
 * (longer stays and better tiers never cost less).
 */
import { formatMoney, minorUnitsPerMajor, roundHalfAwayFromZero } from '@midas/contracts';
import { billingUnits, type RateUnit, type UnitsOnDate } from './billing-units';
import { formatMultiplier, formatPercent, ONE, ONE_N, toAmount } from './money';
import { redeemPoints, type PointsRate } from './points';
import { seasonOn, type Season } from './season';
import type { Tier } from './tier';

export interface RateCard {
  unit: RateUnit;
  /** Minor units per unit. */
  amount: number;
  /** Hourly rates only: the most charged for one local day, before the season multiplier. */
  dailyCap?: number | null;
  /** The least the rental part (before tier, location, add-ons and tax) may cost. */
  minimumCharge?: number | null;
}

export type AddOnPricing = 'flat' | 'per_unit' | 'per_guest';

export interface AddOnChoice {
  code: string;
  name: string;
  pricing: AddOnPricing;
  /** Minor units per booking, per rate unit or per guest. */
  amount: number;
  quantity: number;
}

export interface TaxRule {
  name: string;
  rateBps: number;
  inclusive: boolean;
}

export interface LocationAdjustment {
  description: string;
  /** -9 999 .. : a surcharge (positive) or discount (negative) on the rental after the tier. */
  bps: number;
}

export interface StayPriceInput {
  currency: string;
  timezone: string;
  start: Date;
  end: Date;
  rate: RateCard;
  seasons: readonly Season[];
  tier: { code: Tier; multiplierBps: number };
  location?: LocationAdjustment | null;
  /** The customer's loyalty perk: a discount on the stay (0 .. 10 000 bps), never a surcharge. */
  loyalty?: { tier: string; discountBps: number } | null;
  addOns?: readonly AddOnChoice[];
  /** Loyalty points the customer asks to redeem, at their currency's rate (none without a rate). */
  points?: { requested: number; rate: PointsRate } | null;
  tax?: TaxRule | null;
}

export interface QuoteLine {
  code: string;
  description: string;
  amount: number;
}

export interface StayPrice {
  currency: string;
  total: number;
  lines: QuoteLine[];
  units: number;
  /** Points the `points` line redeems; 0 when there is none. */
  pointsRedeemed: number;
}

const UNIT_WORDS: Record<RateUnit, [string, string]> = {
  hour: ['hour', 'hours'],
  day: ['day', 'days'],
  night: ['night', 'nights'],
};

function plural(n: number, unit: RateUnit): string {
  return `${n} ${UNIT_WORDS[unit][n === 1 ? 0 : 1]}`;
}

function dayWord(n: number): string {
  return `${n} ${n === 1 ? 'day' : 'days'}`;
}

export function priceStay(input: StayPriceInput): StayPrice {
  const { currency, rate } = input;
  const money = (n: number | bigint) => formatMoney(n, currency);
  const units = billingUnits(input.start, input.end, rate.unit, input.timezone);
  const lines: QuoteLine[] = [];
  const add = (code: string, description: string, amount: bigint) =>
    lines.push({ code, description, amount: toAmount(amount) });

  const { base, seasonedScaled, cappedDays, seasonDays, cap } = rentalByDate(input, units.byDate);

  let baseDescription = `${plural(units.count, rate.unit)} × ${money(rate.amount)}`;
  if (cappedDays > 0) baseDescription += `, capped at ${money(cap!)} on ${dayWord(cappedDays)}`;
  add('base', baseDescription, base);

  const seasoned = roundHalfAwayFromZero(seasonedScaled, ONE_N);
  const nonStandard = [...seasonDays.values()].filter((s) => s.season.multiplierBps !== ONE);
  if (seasoned !== base || nonStandard.length > 0) {
    const parts = [...seasonDays.values()].map(
      (s) => `${s.season.name} ${formatMultiplier(s.season.multiplierBps)} on ${plural(s.units, rate.unit)}`,
    );
    add('season', `Season: ${parts.join(', ')}`, seasoned - base);
  }

  // The minimum charge is a floor on the seasoned rental, shown as its own top-up line.
  let rentalScaled = seasonedScaled;
  let rental = seasoned;
  if (rate.minimumCharge != null && seasonedScaled < BigInt(rate.minimumCharge) * ONE_N) {
    rentalScaled = BigInt(rate.minimumCharge) * ONE_N;
    rental = BigInt(rate.minimumCharge);
    add('minimum', `Minimum charge of ${money(rate.minimumCharge)}`, rental - seasoned);
  }

  const tieredScaled = rentalScaled * BigInt(input.tier.multiplierBps); // scaled by ONE²
  const tiered = roundHalfAwayFromZero(tieredScaled, ONE_N * ONE_N);
  add(
    'tier',
    `Service tier ${input.tier.code} ${formatMultiplier(input.tier.multiplierBps)}`,
    tiered - rental,
  );

  let subtotal = tiered;
  const location = input.location;
  if (location && location.bps !== 0) {
    const adjustedScaled = tieredScaled * BigInt(ONE + location.bps); // scaled by ONE³
    const adjusted = roundHalfAwayFromZero(adjustedScaled, ONE_N * ONE_N * ONE_N);
    const sign = location.bps > 0 ? '+' : '';
    add('location', `${location.description} ${sign}${formatPercent(location.bps)}`, adjusted - tiered);
    subtotal = adjusted;
  }

  // Loyalty rewards: a discount on the stay as priced so far, clamped so it can only lower it.
  const loyalty = input.loyalty;
  if (loyalty && loyalty.discountBps > 0) {
    const bps = BigInt(Math.min(ONE, Math.floor(loyalty.discountBps)));
    const discount = roundHalfAwayFromZero(subtotal * bps, ONE_N);
    if (discount > 0n) {
      add('loyalty', `Loyalty ${loyalty.tier} −${formatPercent(Number(bps))}`, -discount);
      subtotal -= discount;
    }
  }

  for (const addOn of input.addOns ?? []) {
    const line = addOnLine(addOn, units.count, rate.unit, money);
    add(`addon:${addOn.code}`, line.description, line.amount);
    subtotal += line.amount;
  }

  // Points pay part of the price before tax, never more than their rate's share of it.
  let pointsRedeemed = 0;
  if (input.points && input.points.requested > 0) {
    const redeemed = redeemPoints(
      input.points.requested,
      subtotal,
      input.points.rate,
      minorUnitsPerMajor(currency),
    );
    if (redeemed.points > 0) {
      const count = redeemed.points.toLocaleString('en');
      add('points', `Loyalty points: ${count} redeemed`, -BigInt(redeemed.discount));
      subtotal -= BigInt(redeemed.discount);
      pointsRedeemed = redeemed.points;
    }
  }

  const total = subtotal + addTax(input.tax, subtotal, money, add);

  return { currency, total: toAmount(total), lines, units: units.count, pointsRedeemed };
}

/** Rental before the tier, per local date: base, then seasoned (scaled by ONE), with the daily cap of hourly rates. */
function rentalByDate(input: StayPriceInput, byDate: UnitsOnDate[]) {
  const { rate } = input;
  const amount = BigInt(rate.amount);
  const cap = rate.unit === 'hour' && rate.dailyCap != null ? BigInt(rate.dailyCap) : undefined;
  let base = 0n;
  let seasonedScaled = 0n;
  let cappedDays = 0;
  const seasonDays = new Map<string, { season: Season; units: number }>();
  for (const { date, units: n } of byDate) {
    let dayBase = amount * BigInt(n);
    if (cap !== undefined && dayBase > cap) {
      dayBase = cap;
      cappedDays++;
    }
    const season = seasonOn(date, input.seasons);
    base += dayBase;
    seasonedScaled += dayBase * BigInt(season.multiplierBps);
    const key = `${season.name}|${season.multiplierBps}`;
    const seen = seasonDays.get(key) ?? { season, units: 0 };
    seen.units += n;
    seasonDays.set(key, seen);
  }
  return { base, seasonedScaled, cappedDays, seasonDays, cap };
}

/** One add-on's charge: flat, per guest, or per billed unit of the stay. */
function addOnLine(
  addOn: AddOnChoice,
  unitCount: number,
  unit: RateUnit,
  money: (n: number | bigint) => string,
): { description: string; amount: bigint } {
  const perUnit = addOn.pricing === 'per_unit';
  const amount = BigInt(addOn.amount) * BigInt(addOn.quantity) * (perUnit ? BigInt(unitCount) : 1n);
  const how =
    addOn.pricing === 'flat'
      ? `${addOn.quantity} × ${money(addOn.amount)}`
      : addOn.pricing === 'per_guest'
        ? `${addOn.quantity} ${addOn.quantity === 1 ? 'guest' : 'guests'} × ${money(addOn.amount)}`
        : `${addOn.quantity} × ${plural(unitCount, unit)} × ${money(addOn.amount)}`;
  return { description: `${addOn.name}: ${how}`, amount };
}

/** The tax line; returns what it adds to the total (nothing when the tax is included in the price). */
function addTax(
  tax: StayPriceInput['tax'],
  subtotal: bigint,
  money: (n: number | bigint) => string,
  add: (code: string, description: string, amount: bigint) => void,
): bigint {
  if (!tax) return 0n;
  if (tax.inclusive) {
    const net = roundHalfAwayFromZero(subtotal * ONE_N, ONE_N + BigInt(tax.rateBps));
    add('tax', `${tax.name} ${formatPercent(tax.rateBps)} included: ${money(subtotal - net)}`, 0n);
    return 0n;
  }
  const taxAmount = roundHalfAwayFromZero(subtotal * BigInt(tax.rateBps), ONE_N);
  add('tax', `${tax.name} ${formatPercent(tax.rateBps)} on ${money(subtotal)}`, taxAmount);
  return taxAmount;
}
