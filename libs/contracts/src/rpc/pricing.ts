/** RPC asks answered by the pricing service. */
import { z } from 'zod';
import { itemPeriod, itemType } from './availability';

const instant = z.iso.datetime({ offset: true });
export const TIERS = ['standard', 'premium', 'vvip'] as const;
export const tier = z.enum(TIERS);
export type Tier = z.infer<typeof tier>;

export const addOnRequest = z.strictObject({
  code: z.string().min(1).max(50),
  quantity: z.number().int().min(1).max(1000).optional(),
});

export const quoteLine = z.object({ code: z.string(), description: z.string(), amount: z.number().int() });
/** Loyalty points one request may redeem at most (a sanity bound; the balance and caps decide). */
export const MAX_REDEEM_POINTS = 100_000_000;
export const redeemPoints = z
  .number()
  .int('must be a whole number of points')
  .min(1, 'must be at least 1 point')
  .max(MAX_REDEEM_POINTS);
export const quote = z.object({
  id: z.uuid(),
  itemId: z.uuid(),
  start: instant,
  end: instant,
  tier,
  expiresAt: instant,
  currency: z.string(),
  total: z.number().int(),
  lines: z.array(quoteLine),
  /** Loyalty points this price redeems (its `points` line); absent when none are. */
  pointsRedeemed: z.number().int().min(1).optional(),
});
export type Quote = z.infer<typeof quote>;

export const pricingRpc = {
  /** Price a stay; with quoteId, return that still-valid quote if it matches the request (price lock). */
  quote: {
    method: 'pricing.quote',
    request: itemPeriod.extend({
      /** The service tier priced: the customer's choice (standard when unset). */
      tier: tier.optional(),
      /** The customer's loyalty tier, as booking knows it: its perk is a discount line, never a dearer tier. */
      customerTier: tier.optional(),
      /** Loyalty points to redeem as a `points` discount line (capped by the rate's share of the price). */
      redeemPoints: redeemPoints.optional(),
      /** The customer's unspent points: redeeming more is refused (422 insufficient_points). */
      pointsBalance: z.number().int().min(0).optional(),
      addOns: z.array(addOnRequest).optional(),
      quoteId: z.uuid().optional(),
    }),
    response: quote,
  },
  /** The refund owed when a booking is cancelled, and the policy rule that produced it. */
  refund: {
    method: 'pricing.refund',
    request: z.object({
      itemType,
      start: instant,
      cancelledAt: instant,
      paidAmount: z.number().int().min(0),
      currency: z.string(),
      forceMajeure: z.boolean().default(false),
      /** `no_show` applies the no-show schedule instead of the cancellation one. */
      reason: z.enum(['cancellation', 'no_show']).default('cancellation'),
    }),
    response: z.object({
      amount: z.number().int().min(0),
      fee: z.number().int().min(0),
      rule: z.string(),
      percent: z.number(),
    }),
  },
} as const;
