/**
 * Step 2, quote: pricing prices the stay, with the customer's loyalty tier bringing its perk (a
 * discount line); the service tier is their choice. Nothing to undo: a quote holds nothing.
 */
import { pricingRpc, type Quote } from '@midas/contracts';
import { findStanding } from '../../db/customers';
import type { SagaStep } from '../../domain/saga';
import type { CreateBookingState } from './state';

export const quoteStay: SagaStep<CreateBookingState, Quote> = {
  name: 'quote',
  run: async ({ deps, caller, body }) => {
    const standing =
      caller.principal.role === 'customer' && caller.principal.sub
        ? await findStanding(deps.db, caller.principal.sub)
        : undefined;
    return deps.rpc.call(
      pricingRpc.quote,
      {
        itemId: body.itemId,
        start: body.start,
        end: body.end,
        tier: body.tier,
        customerTier: standing?.tier,
        addOns: body.addOns,
        redeemPoints: body.redeemPoints,
        pointsBalance: body.redeemPoints !== undefined ? (standing?.points ?? 0) : undefined,
      },
      { timeoutMs: deps.rpcTimeoutMs },
    );
  },
  merge: (state, quote) => ({ ...state, quote }),
};
