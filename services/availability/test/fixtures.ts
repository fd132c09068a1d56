/** Small factories for availability tests: a running service on its own database, tokens, items and times. */
import request from 'supertest';
import { createTestEnv, signToken, bearer, type TestEnv } from '@midas/testing';
import { startService, type RunningService } from '@midas/runtime';
import { availabilityService } from '../src/service';

export interface Harness {
  env: TestEnv;
  service: RunningService;
  url: string;
  admin: { Authorization: string };
  stop: () => Promise<void>;
}

export async function startAvailability(overrides: Record<string, string> = {}): Promise<Harness> {
  const env = await createTestEnv(overrides);
  const service = await startService(availabilityService, env.cfg, { port: 0 });
  const admin = bearer(await signToken({ role: 'admin', sub: 'admin-1' }));
  return {
    env,
    service,
    url: `http://127.0.0.1:${service.port}`,
    admin,
    stop: async () => {
      await service.stop();
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
