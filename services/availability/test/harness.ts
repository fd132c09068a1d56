/** Small factories for availability tests: a running service on its own database, tokens, items and times. */
import request from 'supertest';
import {
  createTestEnv,
  signToken,
  bearer,
  deleteQueues,
  withDeadLetters,
  type TestEnv,
} from '@midas/testing';
import { startService, type RunningService } from '@midas/runtime';
import { availabilityEvents, availabilityRpc } from '@midas/contracts';
import { createDb, createPool, type Pool } from '@midas/db';
import {
  Broker,
  enqueueEvent,
  migrateMessaging,
  OutboxRelay,
  topologyNames,
  type EventData,
} from '@midas/messaging';
import { createLogger } from '@midas/observability';
import { defineAvailabilityService, type AvailabilityOptions } from '../src/service';

export interface Harness {
  env: TestEnv;
  service: RunningService;
  url: string;
  admin: { Authorization: string };
  stop: () => Promise<void>;
}

/** The durable queues a running availability service declares, so a test can remove them afterwards. */
export function declaredQueues(namespace: string): string[] {
  const names = topologyNames(namespace);
  const consumers = ['booking-events', 'calendar-events'].map((p) => names.consumerQueue('availability', p));
  return [
    ...withDeadLetters(consumers),
    ...Object.values(availabilityRpc).map((m) => names.rpcQueue(m.method)),
  ];
}

export async function startAvailability(
  overrides: Record<string, string> = {},
  options: AvailabilityOptions = {},
): Promise<Harness> {
  const env = await createTestEnv(overrides);
  const service = await startService(defineAvailabilityService(options), env.cfg, { port: 0 });
  const admin = bearer(await signToken({ role: 'admin', sub: 'admin-1' }));
  return {
    env,
    service,
    url: `http://127.0.0.1:${service.port}`,
    admin,
    stop: async () => {
      await service.stop();
      await deleteQueues(env.cfg.AMQP_URL, declaredQueues(env.namespace));
      await env.cleanup();
    },
  };
}

export function itemBody(overrides: Record<string, unknown> = {}) {
  return {
    type: 'car',
    name: `Test car ${Math.random().toString(36).slice(2, 8)}`,
    location: 'Monaco',
    timezone: 'Europe/Monaco',
    currency: 'EUR',
    rate: { unit: 'day', amount: 100_000 },
    ...overrides,
  };
}

export async function createItem(
  h: Harness,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; [k: string]: unknown }> {
  const res = await request(h.url).post('/v1/items').set(h.admin).send(itemBody(overrides));
  if (res.status !== 201) throw new Error(`item not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string };
}

/** An instant `days` days from today (UTC) at the given UTC time, always in the future for days >= 1. */
export function at(days: number, hhmm = '10:00'): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  const [h, m] = hhmm.split(':').map(Number);
  d.setUTCHours(h!, m!, 0, 0);
  return d.toISOString();
}

export interface ReceivedEvent {
  type: string;
  id: string;
  data: Record<string, unknown>;
}

/**
 * The other side of the wire, as the booking service would be: its own outbox (schema
 * `bookingsim`) relayed to RabbitMQ, an RPC client, and a consumer recording every availability
 * event it receives.
 */
export interface BookingSide {
  broker: Broker;
  pool: Pool;
  received: ReceivedEvent[];
  /** Stores the event in booking's outbox; returns its id. */
  publish: <T extends string>(type: T, data: EventData<T>) => Promise<string>;
  stop: () => Promise<void>;
}

export async function startBookingSide(h: Harness): Promise<BookingSide> {
  const logger = createLogger('booking-side', 'silent');
  const pool = createPool(h.env.cfg.DATABASE_URL, { max: 4 });
  await migrateMessaging(pool, 'bookingsim');
  const broker = await Broker.connect({
    url: h.env.cfg.AMQP_URL,
    namespace: h.env.namespace,
    service: 'booking',
    logger,
  });
  const relay = new OutboxRelay({
    pool,
    schema: 'bookingsim',
    broker,
    logger,
    source: 'booking',
    pollIntervalMs: 100,
  });
  relay.start();
  const received: ReceivedEvent[] = [];
  const handlers = Object.fromEntries(
    Object.entries(availabilityEvents).map(([type, schema]) => [
      type,
      {
        schema,
        handle: (data: Record<string, unknown>, _tx: unknown, env: { id: string }) =>
          void received.push({ type, id: env.id, data }),
      },
    ]),
  );
  const consumer = await broker.consume({ purpose: 'probe', pool, schema: 'bookingsim', handlers });
  const db = createDb(pool, {});
  return {
    broker,
    pool,
    received,
    publish: (type, data) => db.transaction((tx) => enqueueEvent(tx, 'bookingsim', { type, data })),
    stop: async () => {
      await relay.stop();
      await broker.close();
      await deleteQueues(h.env.cfg.AMQP_URL, withDeadLetters([consumer.queue]));
      await pool.end();
    },
  };
}
