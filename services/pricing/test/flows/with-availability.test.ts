/**
 * Pricing beside the real availability service and the gateway: items created and changed through
 * availability reach pricing by event (or by RPC when the quote comes first), and quotes are asked
 * through the public entry point.
 */
import { startService, type RunningService } from '@midas/runtime';
import { bearer, createTestEnv, eventually, signToken, type TestEnv } from '@midas/testing';
import { availabilityService } from '../../../availability/src/service';
import { declaredQueues as availabilityQueues } from '../../../availability/test/harness';
import { startGateway, type RunningGateway } from '../../../gateway/src/gateway';
import { pricingService } from '../../src/service';
import { seedPricing } from '../../src/db/seed';
import { deleteTopology, pricingQueues } from '../support/harness';

let env: TestEnv;
let availability: RunningService;
let pricing: RunningService;
let gateway: RunningGateway;
let base: string;
let admin: { Authorization: string };

beforeAll(async () => {
  env = await createTestEnv();
  availability = await startService(availabilityService, env.cfg, { port: 0 });
  pricing = await startService(pricingService, env.cfg, { port: 0 });
  await seedPricing(pricing.ctx.pool);
  gateway = await startGateway(
    {
      ...env.cfg,
      AVAILABILITY_URL: `http://127.0.0.1:${availability.port}`,
      PRICING_URL: `http://127.0.0.1:${pricing.port}`,
      RATE_LIMIT_GUEST_PER_MIN: 0,
      RATE_LIMIT_USER_PER_MIN: 0,
    },
    { port: 0 },
  );
  base = `http://127.0.0.1:${gateway.port}`;
  admin = bearer(await signToken({ role: 'admin', sub: 'fleet-admin' }));
});
afterAll(async () => {
  await gateway.stop();
  await pricing.stop();
  await availability.stop();
  await deleteTopology(env.cfg.AMQP_URL, env.namespace, [
    ...pricingQueues(env.namespace),
    ...availabilityQueues(env.namespace),
  ]);
  await env.cleanup();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const stay = { start: '2027-10-01T10:00:00+02:00', end: '2027-10-03T10:00:00+02:00' };

describe('pricing with availability behind the gateway', () => {
  it('quotes an item created through availability and follows its rate changes', async () => {
    const created = await call(
      'POST',
      '/v1/items',
      {
        type: 'car',
        name: 'Ferrari Roma',
        location: 'Monaco',
        timezone: 'Europe/Monaco',
        currency: 'EUR',
        rate: { unit: 'day', amount: 100_000 },
      },
      admin,
    );
    expect(created.status).toBe(201);
    const itemId = created.body.id as string;

    // Whether the event or the RPC look-up gets there first, the quote is right:
    // 2 days × 100 000 in Monaco's October standard season, VAT 20 % -> 240 000.
    const first = await call('POST', '/v1/quotes', { itemId, ...stay });
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(240_000);

    expect(
      (await call('PATCH', `/v1/items/${itemId}`, { rate: { unit: 'day', amount: 150_000 } }, admin)).status,
    ).toBe(200);
    // 2 days × 150 000, VAT 20 % -> 360 000, once item.updated has arrived.
    await eventually(
      async () => (await call('POST', '/v1/quotes', { itemId, ...stay })).body.total === 360_000,
    );
  });

  it('answers 404 for an item availability does not know either', async () => {
    const res = await call('POST', '/v1/quotes', { itemId: '7d4f1c1e-5b7a-4c43-9a55-0f1f3f9b8a11', ...stay });
    expect(res.status).toBe(404);
  });

  it('serves the admin pricing routes through the gateway', async () => {
    const superAdmin = bearer(await signToken({ role: 'super_admin', sub: 'chief' }));
    const res = await call(
      'PUT',
      '/v1/pricing/taxes/Monaco',
      { name: 'VAT', ratePercent: 20, inclusive: true },
      superAdmin,
    );
    expect(res.status).toBe(200);
    expect((await call('GET', '/v1/pricing/tiers', undefined, admin)).status).toBe(200);
  });
});
