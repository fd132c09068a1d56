/** RPC asks answered by the pricing service. */
import { z } from 'zod';
import { itemType } from './availability';

const instant = z.iso.datetime({ offset: true });
export const TIERS = ['standard', 'premium', 'vvip'] as const;
export const tier = z.enum(TIERS);
export type Tier = z.infer<typeof tier>;

export const addOnRequest = z.strictObject({
  code: z.string().min(1).max(50),
  quantity: z.number().int().min(1).max(1000).optional(),
});

export const quoteLine = z.object({ code: z.string(), description: z.string(), amount: z.number().int() });
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
});
export type Quote = z.infer<typeof quote>;

export const pricingRpc = {
  /** Price a stay; with quoteId, return that still-valid quote if it matches the request (price lock). */
  quote: {
    method: 'pricing.quote',
    request: z.object({
      itemId: z.uuid(),
      start: instant,
      end: instant,
      /** The service tier asked for; the tier priced is the higher of this and `customerTier`. */
      tier: tier.optional(),
      /** The customer's own tier, as booking knows it; a customer always gets at least that service. */
      customerTier: tier.optional(),
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
