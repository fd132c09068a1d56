/**
 * Answers booking's `pricing.quote` and `pricing.refund` RPCs, asks availability for items pricing
 * has not seen, and booking for a signed-in customer's loyalty standing.
 */
import { availabilityRpc, bookingRpc, NotFound, pricingRpc } from '@midas/contracts';
import type { Broker } from '@midas/messaging';
import { quoteStay } from '../flows/quote-stay';
import { calculateRefund } from '../flows/calculate-refund';
import type { ItemFetcher, LoyaltyFetcher, FlowContext } from '../flows/context';

const ITEM_LOOKUP_TIMEOUT_MS = 3_000;
const LOYALTY_LOOKUP_TIMEOUT_MS = 3_000;

export function loyaltyFetcher(broker: Broker): LoyaltyFetcher {
  return (customerId) =>
    broker.call(bookingRpc.loyalty, { customerId }, { timeoutMs: LOYALTY_LOOKUP_TIMEOUT_MS });
}

export function itemFetcher(broker: Broker): ItemFetcher {
  return async (itemId) => {
    try {
      return await broker.call(availabilityRpc.getItem, { itemId }, { timeoutMs: ITEM_LOOKUP_TIMEOUT_MS });
    } catch (err) {
      if (err instanceof NotFound) return undefined;
      throw err;
    }
  };
}

export async function servePricingRpc(broker: Broker, deps: FlowContext): Promise<void> {
  await broker.serve(pricingRpc.quote, (req) =>
    quoteStay(
      deps,
      { ...req, start: new Date(req.start), end: new Date(req.end) },
      { requireFutureStart: false },
    ),
  );
  await broker.serve(pricingRpc.refund, (req) =>
    calculateRefund(deps, { ...req, start: new Date(req.start), cancelledAt: new Date(req.cancelledAt) }),
  );
}
