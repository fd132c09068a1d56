/**
 * Everything a quote needs about one item, in one round trip: the item copy, its rate card, the
 * seasons, tax, location adjustment and add-ons of its location and type, the tier multipliers,
 * the loyalty perks and what points are worth in its currency.
 */
import type { Pool } from '@midas/db';
import type { ItemType, Tier } from '@midas/contracts';
import type { ItemRow } from './items';
import type { RateCardRow } from './rate-cards';
import type { SeasonRow } from './seasons';
import type { AddOnRow } from './add-ons';
import type { TaxRow } from './taxes';
import type { LocationAdjustmentRow } from './location-adjustments';
import type { PointsRate } from '../domain/points';

export interface QuoteContext {
  item: ItemRow | undefined;
  rateCard: RateCardRow | undefined;
  seasons: Pick<SeasonRow, 'name' | 'multiplierBps' | 'recurring' | 'start' | 'end'>[];
  tiers: Record<Tier, number>;
  /** Discount in bps per loyalty tier (pricing.loyalty_perks). */
  loyaltyPerks: Record<string, number>;
  /** What redeemed points are worth in the item's currency (pricing.points_rates); none: no points. */
  pointsRate: PointsRate | undefined;
  adjustment: Pick<LocationAdjustmentRow, 'description' | 'bps'> | undefined;
  tax: Pick<TaxRow, 'name' | 'rateBps' | 'inclusive'> | undefined;
  addOns: Pick<AddOnRow, 'code' | 'name' | 'pricing' | 'amount' | 'currency' | 'maxQuantity' | 'location'>[];
}

interface Raw {
  item: {
    id: string;
    type: ItemType;
    name: string;
    location: string;
    timezone: string;
    currency: string;
    rate_unit: string;
    rate_amount: number;
    active: boolean;
    source_at: string;
    updated_at: string;
  } | null;
  rate_card: {
    item_id: string;
    unit: string | null;
    amount: number | null;
    daily_cap: number | null;
    minimum_charge: number | null;
    location_adjustment_bps: number | null;
    updated_at: string;
  } | null;
  seasons: { name: string; multiplier_bps: number; recurring: boolean; start: string; end: string }[];
  tiers: Record<Tier, number>;
  loyalty_perks: Record<string, number> | null;
  points_rate: { points_per_major: number; max_share_bps: number } | null;
  adjustment: { description: string; bps: number } | null;
  tax: { name: string; rate_bps: number; inclusive: boolean } | null;
  add_ons: {
    code: string;
    name: string;
    pricing: string;
    amount: number;
    currency: string;
    max_quantity: number;
    location: string | null;
  }[];
}

/**
 * Named, so each connection prepares it once and PostgreSQL can reuse its plan: quoting is the hot
 * path, and planning six subqueries on every request costs more than running them.
 */
const QUOTE_CONTEXT_SQL = `
  WITH item AS (SELECT * FROM pricing.items WHERE id = $1)
  SELECT
    (SELECT row_to_json(item) FROM item) AS item,
    (SELECT row_to_json(r) FROM pricing.rate_cards r WHERE r.item_id = $1) AS rate_card,
    (SELECT coalesce(json_agg(json_build_object('name', s.name, 'multiplier_bps', s.multiplier_bps,
              'recurring', s.recurring, 'start', s.start, 'end', s."end")), '[]')
       FROM pricing.seasons s WHERE lower(s.location) = (SELECT lower(location) FROM item)) AS seasons,
    (SELECT json_object_agg(code, multiplier_bps) FROM pricing.tiers) AS tiers,
    (SELECT coalesce(json_object_agg(tier, discount_bps), '{}') FROM pricing.loyalty_perks) AS loyalty_perks,
    (SELECT json_build_object('points_per_major', p.points_per_major, 'max_share_bps', p.max_share_bps)
       FROM pricing.points_rates p WHERE p.currency = (SELECT currency FROM item)) AS points_rate,
    (SELECT json_build_object('description', a.description, 'bps', a.bps)
       FROM pricing.location_adjustments a
      WHERE lower(a.location) = (SELECT lower(location) FROM item)
        AND (a.item_type IS NULL OR a.item_type = (SELECT type FROM item))
      ORDER BY a.item_type NULLS LAST LIMIT 1) AS adjustment,
    (SELECT json_build_object('name', t.name, 'rate_bps', t.rate_bps, 'inclusive', t.inclusive)
       FROM pricing.taxes t WHERE lower(t.location) = (SELECT lower(location) FROM item)) AS tax,
    (SELECT coalesce(json_agg(json_build_object('code', o.code, 'name', o.name, 'pricing', o.pricing,
              'amount', o.amount, 'currency', o.currency, 'max_quantity', o.max_quantity, 'location', o.location)), '[]')
       FROM pricing.add_ons o
      WHERE o.item_type = (SELECT type FROM item)
        AND (o.location IS NULL OR lower(o.location) = (SELECT lower(location) FROM item))) AS add_ons`;

export async function loadQuoteContext(db: Pick<Pool, 'query'>, itemId: string): Promise<QuoteContext> {
  const result = await db.query<Raw>({
    name: 'pricing.quote_context',
    text: QUOTE_CONTEXT_SQL,
    values: [itemId],
  });
  const raw = result.rows[0]!;
  const i = raw.item;
  const r = raw.rate_card;
  // A location's own add-on wins over the every-location entry of the same code and currency.
  const addOns = new Map<string, QuoteContext['addOns'][number]>();
  for (const o of raw.add_ons) {
    const key = `${o.code}|${o.currency}`;
    const held = addOns.get(key);
    if (!held || (held.location === null && o.location !== null)) {
      addOns.set(key, {
        code: o.code,
        name: o.name,
        pricing: o.pricing,
        amount: Number(o.amount),
        currency: o.currency,
        maxQuantity: o.max_quantity,
        location: o.location,
      });
    }
  }
  return {
    item: i
      ? {
          id: i.id,
          type: i.type,
          name: i.name,
          location: i.location,
          timezone: i.timezone,
          currency: i.currency,
          rateUnit: i.rate_unit,
          rateAmount: Number(i.rate_amount),
          active: i.active,
          sourceAt: new Date(i.source_at),
          updatedAt: new Date(i.updated_at),
        }
      : undefined,
    rateCard: r
      ? {
          itemId: r.item_id,
          unit: r.unit,
          amount: r.amount === null ? null : Number(r.amount),
          dailyCap: r.daily_cap === null ? null : Number(r.daily_cap),
          minimumCharge: r.minimum_charge === null ? null : Number(r.minimum_charge),
          locationAdjustmentBps: r.location_adjustment_bps,
          updatedAt: new Date(r.updated_at),
        }
      : undefined,
    seasons: raw.seasons.map((s) => ({
      name: s.name,
      multiplierBps: s.multiplier_bps,
      recurring: s.recurring,
      start: s.start,
      end: s.end,
    })),
    tiers: raw.tiers,
    loyaltyPerks: raw.loyalty_perks ?? {},
    pointsRate: raw.points_rate
      ? { pointsPerMajor: raw.points_rate.points_per_major, maxShareBps: raw.points_rate.max_share_bps }
      : undefined,
    adjustment: raw.adjustment ?? undefined,
    tax: raw.tax
      ? { name: raw.tax.name, rateBps: raw.tax.rate_bps, inclusive: raw.tax.inclusive }
      : undefined,
    addOns: [...addOns.values()],
  };
}
