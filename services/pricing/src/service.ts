/** Wiring of the pricing service: HTTP routes, the RPCs booking calls, and the item feed from availability. */
import { defineService } from '@midas/runtime';
import { seedPricing } from './db/seed';
import { consumeItemEvents } from './events/consume/item-events';
import { createFlowContext } from './flows/context';
import { pricingRoutes } from './http/routes';
import { scheduleQuotePurge } from './jobs/quote-purge';
import { itemFetcher, loyaltyFetcher, servePricingRpc } from './rpc/pricing-rpc';

export const pricingService = defineService(__dirname, 'pricing', {
  async setup(ctx) {
    const deps = createFlowContext(ctx.pool, {
      fetchItem: itemFetcher(ctx.broker),
      loyaltyOf: loyaltyFetcher(ctx.broker),
      logger: ctx.logger,
    });
    await consumeItemEvents(ctx.broker, ctx.pool);
    await servePricingRpc(ctx.broker, deps);
    await scheduleQuotePurge(ctx, deps);
    return { routes: pricingRoutes(deps) };
  },
  seed: seedPricing,
});
