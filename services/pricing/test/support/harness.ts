/** Starts the pricing service on its own database for one test file, with factories for its item copy. */
import { randomUUID } from 'node:crypto';
import { startService, type RunningService } from '@midas/runtime';
import { createTestEnv, type TestEnv } from '@midas/testing';
import { pricingRpc, type ItemSnapshot } from '@midas/contracts';
import { topologyNames } from '@midas/messaging';
import { pricingService } from '../../src/service';
import type { PricingDb } from '../../src/db/schema';
import { createFlowContext, type FlowContext } from '../../src/flows/context';
import { upsertItem } from '../../src/db/items';
import { seedPricing } from '../../src/db/seed';

export interface PricingHarness {
  env: TestEnv;
  running: RunningService;
  db: PricingDb;
  /** The use cases' dependencies on this service's pool (no item look-up over RPC). */
  deps: FlowContext;
  stop: () => Promise<void>;
}

/** Deletes the queues and exchanges a test file's namespace declared, so the broker is left as found. */
export async function deleteTopology(amqpUrl: string, namespace: string, queues: string[]): Promise<void> {
  const names = topologyNames(namespace);
  const amqp = await import('amqplib');
  const connection = await amqp.connect(amqpUrl);
  // One channel per deletion: a broker refusing one (already gone) closes only that channel.
  const attempt = async (remove: (channel: import('amqplib').Channel) => Promise<unknown>) => {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    await remove(channel).catch(() => undefined);
    await channel.close().catch(() => undefined);
  };
  try {
    for (const queue of queues) {
      await attempt((c) => c.deleteQueue(queue));
      await attempt((c) => c.deleteQueue(names.deadLetterQueue(queue)));
    }
    for (const exchange of [names.events, names.rpc, names.deadLetters])
      await attempt((c) => c.deleteExchange(exchange));
  } finally {
    await connection.close();
  }
}

/** The queues the pricing service declares: its item feed and its two RPC methods. */
export function pricingQueues(namespace: string): string[] {
  const names = topologyNames(namespace);
  return [
    names.consumerQueue('pricing', 'item-events'),
    names.rpcQueue(pricingRpc.quote.method),
    names.rpcQueue(pricingRpc.refund.method),
  ];
}

/** `extraQueues`: further queues the test declares in its namespace, deleted at the end too. */
export async function startPricing(
  opts: { seed?: boolean; env?: Record<string, string>; extraQueues?: (env: TestEnv) => string[] } = {},
): Promise<PricingHarness> {
  const env = await createTestEnv(opts.env);
  const running = await startService(pricingService, env.cfg, { port: 0 });
  const deps = createFlowContext(running.ctx.pool);
  const db = deps.db;
  if (opts.seed ?? true) await seedPricing(running.ctx.pool);
  return {
    env,
    running,
    db,
    deps,
    stop: async () => {
      await running.stop();
      await deleteTopology(env.cfg.AMQP_URL, env.namespace, [
        ...pricingQueues(env.namespace),
        ...(opts.extraQueues?.(env) ?? []),
      ]);
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
