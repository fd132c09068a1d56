import express from 'express';
import { createServer, type Server } from 'node:http';
import { createTestEnv, signToken, bearer, eventually, type TestEnv } from '@midas/testing';
import { parseConfig } from '@midas/config';
import { startGateway, type RunningGateway } from '../src/gateway';

/** A stand-in upstream that echoes what the gateway forwarded, so routing and headers can be checked. */
async function echoUpstream(name: string): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use(express.json());
  app.get('/readyz', (_req, res) => {
    res.json({ status: 'ready', checks: { postgres: 'ok' } });
  });
  app.use((req, res) => {
    res.json({
      service: name,
      method: req.method,
      url: req.originalUrl,
      headers: req.headers,
      body: req.body,
    });
  });
  const server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

describe('gateway', () => {
  let env: TestEnv;
  const upstreams: Server[] = [];
  let urls: Record<string, string>;
  let a: RunningGateway;
  let b: RunningGateway;
  let cfg: ReturnType<typeof parseConfig>;

  beforeAll(async () => {
    env = await createTestEnv();
    urls = {};
    for (const name of ['availability', 'booking', 'pricing', 'notification', 'calendar']) {
      const up = await echoUpstream(name);
      upstreams.push(up.server);
      urls[`${name.toUpperCase()}_URL`] = up.url;
    }
    cfg = parseConfig({
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      REDIS_URL: env.cfg.REDIS_URL,
      MIDAS_NAMESPACE: env.namespace,
      RATE_LIMIT_GUEST_PER_MIN: '5',
      RATE_LIMIT_USER_PER_MIN: '8',
      RATE_LIMIT_HOLDS_PER_MIN: '2',
      // As behind an ingress on this machine: its X-Forwarded-For is believed.
      TRUST_PROXY: 'loopback',
      ...urls,
    });
    a = await startGateway(cfg, { port: 0 });
    b = await startGateway(cfg, { port: 0 });
  });

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await Promise.all(upstreams.map((s) => new Promise((r) => s.close(r))));
    await env.cleanup();
  });

  const at = (g: RunningGateway, path: string) => `http://127.0.0.1:${g.port}${path}`;

  it('routes each public path to its service and forwards ids and the client address', async () => {
    const cases: [string, string][] = [
      ['/v1/items?type=car', 'availability'],
      ['/v1/availability?itemId=x', 'availability'],
      ['/v1/quotes', 'pricing'],
      ['/v1/bookings/123', 'booking'],
      ['/v1/calendar/status', 'calendar'],
    ];
    const token = await signToken({ role: 'admin', sub: 'route-tester' });
    for (const [path, service] of cases) {
      const res = await fetch(at(a, path), {
        headers: {
          ...bearer(token),
          'x-request-id': 'req-abc',
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { service: string; url: string; headers: Record<string, string> };
      expect(body.service).toBe(service);
      expect(body.url).toBe(path);
      expect(body.headers['x-request-id']).toBe('req-abc');
      expect(body.headers.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-/);
      expect(body.headers.authorization).toBe(`Bearer ${token}`);
      expect(body.headers['x-forwarded-for']).toContain('127.0.0.1');
    }
  });

  it('streams a request body to the service and its answer back, with one set of security headers', async () => {
    const token = await signToken({ role: 'admin', sub: 'poster' });
    const res = await fetch(at(a, '/v1/quotes?draft=1'), {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: JSON.stringify({ itemId: 'abc', nights: 3 }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { method: string; url: string; body: unknown };
    expect(body).toMatchObject({
      method: 'POST',
      url: '/v1/quotes?draft=1',
      body: { itemId: 'abc', nights: 3 },
    });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-request-id')).toMatch(/^[\w.-]+$/);
  });

  it('answers routed requests with the same security and CORS headers as its own routes', async () => {
    const own = await fetch(at(a, '/healthz'));
    const routed = await fetch(at(a, '/v1/items'));
    expect(routed.status).toBe(200);
    const names = [
      'x-content-type-options',
      'x-frame-options',
      'strict-transport-security',
      'referrer-policy',
      'cross-origin-opener-policy',
      'cross-origin-resource-policy',
      'origin-agent-cluster',
      'x-dns-prefetch-control',
      'x-download-options',
      'x-permitted-cross-domain-policies',
      'x-xss-protection',
      'access-control-allow-origin',
      'access-control-expose-headers',
    ];
    for (const name of names) {
      expect([name, routed.headers.get(name)]).toEqual([name, own.headers.get(name)]);
      expect(own.headers.get(name)).not.toBeNull();
    }
    // A token seen for the first time (verified on the express path) and again (from the cache).
    const token = await signToken({ role: 'customer', sub: 'twice' });
    for (let i = 0; i < 2; i++) {
      const res = await fetch(at(a, '/v1/items'), { headers: bearer(token) });
      expect(res.status).toBe(200);
      for (const name of names) expect(res.headers.get(name)).toBe(own.headers.get(name));
      expect(res.headers.get('ratelimit-limit')).toBe('8');
    }
  });

  it('answers 502 problem+json when the service behind a route does not answer', async () => {
    const dead = await startGateway({ ...cfg, AVAILABILITY_URL: 'http://127.0.0.1:1' }, { port: 0 });
    try {
      const res = await fetch(at(dead, '/v1/items'));
      expect(res.status).toBe(502);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    } finally {
      await dead.stop();
    }
  });

  it('refuses bad tokens with 401 before they reach a service', async () => {
    const wrongAud = await signToken({ role: 'admin', audience: 'not-midas' });
    const res = await fetch(at(a, '/v1/bookings'), { headers: bearer(wrongAud) });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('refuses a body over 100 kB with 413 by its declared length', async () => {
    const res = await fetch(at(a, '/v1/quotes'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(await signToken({ sub: 'big-body' })) },
      body: JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }),
    });
    expect(res.status).toBe(413);
  });

  it('limits a guest across two gateway replicas sharing one Redis, with Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const res = await fetch(at(i % 2 === 0 ? a : b, '/v1/items'), {
        headers: { 'x-forwarded-for': '203.0.113.9' },
      });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    // The forwarding header is trusted from the loopback proxy TRUST_PROXY names, so both replicas
    // key the guest by the same client address: five requests pass, the rest are limited.
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  });

  it('limits token holders by subject, and creating holds more strictly', async () => {
    const token = await signToken({ role: 'customer', sub: 'busy-customer' });
    const holds: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(at(i % 2 ? b : a, '/v1/holds'), {
        method: 'POST',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        body: '{}',
      });
      holds.push(res.status);
    }
    expect(holds).toEqual([200, 200, 429]);
    const other = await signToken({ role: 'customer', sub: 'calm-customer' });
    expect((await fetch(at(a, '/v1/holds'), { method: 'POST', headers: bearer(other) })).status).toBe(200);
  });

  it('holds a larger budget within 10 % across two replicas, never above it', async () => {
    const big = { ...cfg, RATE_LIMIT_USER_PER_MIN: 200, MIDAS_NAMESPACE: `${env.namespace}big-` };
    const c = await startGateway(big, { port: 0 });
    const d = await startGateway(big, { port: 0 });
    try {
      const token = await signToken({ role: 'customer', sub: 'steady-customer' });
      let passed = 0;
      let limited = 0;
      for (let sent = 0; sent < 300; sent += 20) {
        const statuses = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            fetch(at(i % 2 ? c : d, '/v1/items'), { headers: bearer(token) }).then((r) => r.status),
          ),
        );
        passed += statuses.filter((st) => st === 200).length;
        limited += statuses.filter((st) => st === 429).length;
      }
      expect(passed + limited).toBe(300);
      expect(passed).toBeLessThanOrEqual(200);
      expect(passed).toBeGreaterThanOrEqual(180);
    } finally {
      await c.stop();
      await d.stop();
    }
  });

  it('never rate-limits signed provider webhooks', async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const res = await fetch(at(i % 2 ? a : b, '/v1/payments/stripe/webhook'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.7' },
        body: '{}',
      });
      statuses.add(res.status);
    }
    expect([...statuses]).toEqual([200]);
  });

  it('limits Google push notifications and feed fetches per channel or feed, not by the guest budget of their address', async () => {
    const push = (channel: string) =>
      fetch(at(a, '/v1/calendar/google/notifications'), {
        method: 'POST',
        headers: {
          'x-forwarded-for': '192.0.2.44',
          'x-goog-channel-id': channel,
          'x-goog-channel-token': 't',
          'x-goog-resource-state': 'exists',
        },
      });
    // Google's address has spent its guest budget on other calls...
    for (let i = 0; i < 6; i++)
      await fetch(at(b, '/v1/items'), { headers: { 'x-forwarded-for': '192.0.2.44' } });
    expect((await fetch(at(a, '/v1/items'), { headers: { 'x-forwarded-for': '192.0.2.44' } })).status).toBe(
      429,
    );
    // ...yet pushes of each channel still get their own five a minute, then 429.
    const first: number[] = [];
    for (let i = 0; i < 6; i++) first.push((await push('channel-one')).status);
    expect(first).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await push('channel-two')).status).toBe(200);
    const feed = (item: string) =>
      fetch(at(b, `/v1/calendar/feeds/${item}.ics?token=abc`), {
        headers: { 'x-forwarded-for': '192.0.2.44' },
      });
    const feeds: number[] = [];
    for (let i = 0; i < 6; i++) feeds.push((await feed('item-one')).status);
    expect(feeds).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await feed('item-two')).status).toBe(200);
  });

  it('publishes an OpenAPI 3.1 document and human docs', async () => {
    const doc = (await (await fetch(at(a, '/v1/openapi.json'))).json()) as {
      openapi: string;
      info: { title: string };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Midas booking API');
    const docs = await fetch(at(a, '/docs/'));
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
  });

  it('is ready only when every service is, naming the ones that are not', async () => {
    const ready = await fetch(at(a, '/readyz'));
    expect(ready.status).toBe(200);
    upstreams[2]!.close();
    upstreams[2]!.closeAllConnections();
    // A verdict is reused for a second, so a flood of probes cannot fan out into dependency pings.
    const res = await eventually(async () => {
      const r = await fetch(at(a, '/readyz'));
      return r.status === 503 && r;
    });
    const body = (await res.json()) as { unready: string[] };
    expect(body.unready).toEqual(['pricing']);
    // The probe the chart uses: one service down must not take the gateway out of rotation.
    const self = await fetch(at(a, '/readyz/self'));
    expect(self.status).toBe(200);
    expect(await self.json()).toEqual({ status: 'ready', checks: { redis: 'ok' } });
  });
});
