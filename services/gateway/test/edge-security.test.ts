import express from 'express';
import { createServer, type Server } from 'node:http';
import { createTestEnv, signToken, bearer, type TestEnv } from '@midas/testing';
import { parseConfig } from '@midas/config';
import { startGateway, type RunningGateway } from '../src/gateway';

/** A stand-in upstream that echoes the forwarded client address and reports a failing dependency. */
async function echoUpstream(): Promise<{ url: string; server: Server }> {
  const app = express();
  app.get('/readyz', (_req, res) => {
    res.status(503).json({ status: 'unready', checks: { postgres: 'connect ECONNREFUSED 10.1.2.3:5432' } });
  });
  app.use((req, res) => {
    res.json({ forwardedFor: req.headers['x-forwarded-for'] });
  });
  const server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

describe('gateway edge: trusted proxies, bad tokens, readiness and metrics exposure', () => {
  let env: TestEnv;
  let upstream: { url: string; server: Server };
  const gateways: RunningGateway[] = [];

  const start = async (extra: Record<string, string>, internalPort?: number) => {
    const urls = Object.fromEntries(
      ['AVAILABILITY', 'BOOKING', 'PRICING', 'NOTIFICATION', 'CALENDAR'].map((n) => [
        `${n}_URL`,
        upstream.url,
      ]),
    );
    const cfg = parseConfig({
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      REDIS_URL: env.cfg.REDIS_URL,
      MIDAS_NAMESPACE: `${env.namespace}${gateways.length}-`,
      RATE_LIMIT_GUEST_PER_MIN: '3',
      ...urls,
      ...extra,
    });
    const gw = await startGateway(cfg, { port: 0, internalPort });
    gateways.push(gw);
    return (path: string) => `http://127.0.0.1:${gw.port}${path}`;
  };

  beforeAll(async () => {
    env = await createTestEnv();
    upstream = await echoUpstream();
  });
  afterAll(async () => {
    for (const gw of gateways) await gw.stop();
    await new Promise((r) => upstream.server.close(r));
    await env.cleanup();
  });

  it('without TRUST_PROXY ignores a spoofed X-Forwarded-For: a new fake address per request shares one budget', async () => {
    const at = await start({});
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(at('/v1/items'), { headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } });
      statuses.push(res.status);
      if (res.status === 200) {
        expect(((await res.json()) as { forwardedFor: string }).forwardedFor).toBe('127.0.0.1');
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('with TRUST_PROXY=1 takes the address the one trusted proxy saw, not ones a client prepended', async () => {
    const at = await start({ TRUST_PROXY: '1' });
    const res = await fetch(at('/v1/items'), { headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.5' } });
    expect(((await res.json()) as { forwardedFor: string }).forwardedFor).toBe('203.0.113.5');
  });

  it('throttles bad-token requests by client address: 401 until the budget is spent, then 429 with Retry-After', async () => {
    const at = await start({});
    const forged = await signToken({ role: 'admin', secret: 'an-attacker-guess-of-the-secret-0123456789' });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await fetch(at('/v1/bookings'), { headers: bearer(forged) });
      statuses.push(res.status);
      retryAfter ??= res.headers.get('retry-after');
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('says only ready or not (and which services) on the public /readyz; the detail to admins and the internal port', async () => {
    const at = await start({}, 0);
    const gw = gateways.at(-1)!;
    const pub = await fetch(at('/readyz'));
    expect(pub.status).toBe(503);
    const body = (await pub.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['status', 'unready']);
    expect(JSON.stringify(body)).not.toContain('ECONNREFUSED');

    const admin = await fetch(at('/readyz'), { headers: bearer(await signToken({ role: 'admin' })) });
    expect(JSON.stringify(await admin.json())).toContain('ECONNREFUSED');
    const internal = await fetch(`http://127.0.0.1:${gw.internalPort}/readyz`);
    expect(internal.status).toBe(503);
    expect(JSON.stringify(await internal.json())).toContain('postgres: connect ECONNREFUSED');
  });

  it('serves /metrics publicly to admins only, and to anyone on the internal port', async () => {
    const at = await start({ RATE_LIMIT_GUEST_PER_MIN: '100' }, 0);
    const gw = gateways.at(-1)!;
    expect((await fetch(at('/metrics'))).status).toBe(401);
    expect(
      (await fetch(at('/metrics'), { headers: bearer(await signToken({ role: 'customer' })) })).status,
    ).toBe(403);
    const admin = await fetch(at('/metrics'), { headers: bearer(await signToken({ role: 'admin' })) });
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain('service="gateway"');
    const internal = await fetch(`http://127.0.0.1:${gw.internalPort}/metrics`);
    expect(internal.status).toBe(200);
  });
});
