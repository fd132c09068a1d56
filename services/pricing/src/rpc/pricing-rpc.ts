/** Answers booking's `pricing.quote` and `pricing.refund` RPCs, and asks availability for items pricing has not seen. */
import { availabilityRpc, NotFound, pricingRpc } from '@midas/contracts';
import type { Broker } from '@midas/messaging';
import { quoteStay } from '../flows/quote-stay';
import { calculateRefund } from '../flows/calculate-refund';
import type { ItemFetcher, PricingDeps } from '../flows/pricing-deps';

const ITEM_LOOKUP_TIMEOUT_MS = 3_000;

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

export async function servePricingRpc(broker: Broker, deps: PricingDeps): Promise<void> {
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
