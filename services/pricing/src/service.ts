/** Wiring of the pricing service: what it serves and what it closes on stop. */
import path from 'node:path';
import { createDb } from '@midas/db';
import type { ServiceDefinition } from '@midas/runtime';
import { schema } from './db/schema';
import { seedPricing } from './db/seed';
import { DEFAULT_QUOTE_TTL_MS, type PricingDeps } from './flows/pricing-deps';
import { pricingRoutes } from './http/routes';

export const pricingService: ServiceDefinition = {
  name: 'pricing',
  schema: 'pricing',
  migrationsFolder: path.resolve(__dirname, '../src/db/migrations'),
  async setup(ctx) {
    const deps: PricingDeps = {
      db: createDb(ctx.pool, schema),
      now: () => new Date(),
      quoteTtlMs: DEFAULT_QUOTE_TTL_MS,
    };
    return { routes: pricingRoutes(deps) };
  },
  seed: seedPricing,
};
