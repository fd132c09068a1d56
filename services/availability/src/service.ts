/** Wiring of the availability service: what it serves and what it closes on stop. */
import path from 'node:path';
import { createDb } from '@midas/db';
import type { ServiceDefinition } from '@midas/runtime';
import { schema } from './db/schema';
import { seedDemoItems } from './db/seed';
import type { FlowContext } from './flows/context';
import { httpRoutes } from './http/routes';

export const availabilityService: ServiceDefinition = {
  name: 'availability',
  schema: 'availability',
  migrationsFolder: path.resolve(__dirname, '../src/db/migrations'),
  async setup(ctx) {
    const flows: FlowContext = {
      db: createDb(ctx.pool, schema),
      pool: ctx.pool,
      holdTtlSeconds: ctx.cfg.HOLD_TTL_SECONDS,
      now: () => new Date(),
    };
    return { routes: httpRoutes(flows) };
  },
  seed: seedDemoItems,
};
