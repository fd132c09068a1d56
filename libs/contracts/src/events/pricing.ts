/**
 * Events published by the pricing service: one per admin change of a pricing rule, written in the
 * change's transaction. Each carries the rule as it is now (`current`, null once deleted) and as it
 * was (`previous`, null when just created), so a consumer can keep its own copy from events alone.
 */
import { z } from 'zod';

/** Schema version of every `pricing.*` event's data (the envelope's `version`). */
export const PRICING_EVENT_VERSION = 1;

const bps = z.number().int();
const minor = z.number().int();

export const rateCardValues = z.object({
  itemId: z.uuid(),
  unit: z.enum(['hour', 'day', 'night']).nullable(),
  amount: minor.nullable(),
  dailyCap: minor.nullable(),
  minimumCharge: minor.nullable(),
  locationAdjustmentBps: bps.nullable(),
});

export const seasonValues = z.object({
  id: z.uuid(),
  location: z.string(),
  name: z.string(),
  multiplierBps: bps,
  recurring: z.boolean(),
  /** `YYYY-MM-DD`, or `MM-DD` for a season that recurs every year. */
  start: z.string(),
  end: z.string(),
});

export const addOnValues = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  itemType: z.string(),
  location: z.string().nullable(),
  pricing: z.string(),
  amount: minor,
  currency: z.string().length(3),
  maxQuantity: z.number().int(),
});

export const refundPolicyValues = z.object({
  itemType: z.string(),
  windows: z.array(z.object({ minHoursBefore: z.number(), refundBps: bps })),
  processingFeeBps: bps,
  noShowRefundBps: bps,
});

export const tierValues = z.object({ code: z.enum(['standard', 'premium', 'vvip']), multiplierBps: bps });

export const taxValues = z.object({
  location: z.string(),
  name: z.string(),
  rateBps: bps,
  inclusive: z.boolean(),
});

export const locationAdjustmentValues = z.object({
  id: z.uuid(),
  location: z.string(),
  itemType: z.string().nullable(),
  description: z.string(),
  bps,
});

function changeOf<V extends z.ZodType>(values: V) {
  return z.object({
    change: z.enum(['created', 'updated', 'deleted']),
    /** The changed rule's key: item id, season id, add-on id, item type, tier code, location, adjustment id. */
    id: z.string(),
    current: values.nullable(),
    previous: values.nullable(),
    /** Who changed it: `<role>:<subject>`. */
    actor: z.string(),
  });
}

export const pricingEvents = {
  'pricing.rate_card_changed': changeOf(rateCardValues),
  'pricing.season_changed': changeOf(seasonValues),
  'pricing.addon_changed': changeOf(addOnValues),
  'pricing.refund_policy_changed': changeOf(refundPolicyValues),
  'pricing.tier_changed': changeOf(tierValues),
  'pricing.tax_changed': changeOf(taxValues),
  'pricing.location_adjustment_changed': changeOf(locationAdjustmentValues),
} as const;
export type PricingEventType = keyof typeof pricingEvents;
