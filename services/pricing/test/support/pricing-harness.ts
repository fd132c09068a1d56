/** Starts the pricing service on its own database for one test file, with factories for its item copy. */
import { randomUUID } from 'node:crypto';
import { createDb } from '@midas/db';
import { startService, type RunningService } from '@midas/runtime';
import { createTestEnv, type TestEnv } from '@midas/testing';
import type { ItemSnapshot } from '@midas/contracts';
import { pricingService } from '../../src/service';
import { schema, type PricingDb } from '../../src/db/schema';
import { upsertItem } from '../../src/db/items';
import { seedPricing } from '../../src/db/seed';

export interface PricingHarness {
  env: TestEnv;
  running: RunningService;
  db: PricingDb;
  stop: () => Promise<void>;
}

export async function startPricing(
  opts: { seed?: boolean; env?: Record<string, string> } = {},
): Promise<PricingHarness> {
  const env = await createTestEnv(opts.env);
  const running = await startService(pricingService, env.cfg, { port: 0 });
  const db = createDb(running.ctx.pool, schema);
  if (opts.seed ?? true) await seedPricing(running.ctx.pool);
  return {
    env,
    running,
    db,
    stop: async () => {
      await running.stop();
      await env.cleanup();
    },
  };
}

export function itemSnapshot(overrides: Partial<ItemSnapshot> = {}): ItemSnapshot {
  return {
    id: randomUUID(),
    type: 'yacht',
    name: 'Lady M',
    location: 'Monaco',
    timezone: 'Europe/Monaco',
    currency: 'EUR',
    rate: { unit: 'hour', amount: 80_000 },
    bufferMinutes: 240,
    minNoticeMinutes: 0,
    active: true,
    ...overrides,
  };
}

/** Puts an item straight into pricing's copy, as availability's item.created event would. */
export async function givenItem(db: PricingDb, overrides: Partial<ItemSnapshot> = {}): Promise<ItemSnapshot> {
  const item = itemSnapshot(overrides);
  await upsertItem(db, item, new Date());
  return item;
}
