/** Small factories for availability tests: a running service on its own database, tokens, items and times. */
import request from 'supertest';
import { createTestEnv, signToken, bearer, type TestEnv } from '@midas/testing';
import { startService, type RunningService } from '@midas/runtime';
import { availabilityRpc } from '@midas/contracts';
import { topologyNames } from '@midas/messaging';
import amqp from 'amqplib';
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
  const consumer = names.consumerQueue('availability', 'booking-events');
  return [consumer, names.deadLetterQueue(consumer), ...Object.values(availabilityRpc).map((m) => names.rpcQueue(m.method))];
}

export async function deleteQueues(url: string, queues: string[]): Promise<void> {
  const connection = await amqp.connect(url);
  try {
    for (const queue of queues) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  } finally {
    await connection.close();
  }
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
