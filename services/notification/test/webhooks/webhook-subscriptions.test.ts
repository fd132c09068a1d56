/**
 * Webhook subscriptions through the API with the SSRF guard on (no WEBHOOK_ALLOW_PRIVATE): admin
 * only, validated, secrets shown once and sealed at rest, private receivers refused when the URL
 * is typed and again at every delivery, and a subscription that keeps failing switched off.
 */
import { randomUUID } from 'node:crypto';
import { sql } from '@midas/db';
import { createDb } from '@midas/db';
import { bearer, eventually as within, signToken } from '@midas/testing';
import { bookingSummary, startHarness, type Harness } from '../support/harness';
import { startReceiver, type Receiver } from './support/receiver';

/** Waits generously: the machine running the suite may be busy, and only a missing outcome should fail. */
const eventually = <T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 30_000) =>
  within(check, Math.max(timeoutMs, 30_000));

const PUBLIC_URL = 'https://93.184.215.14/hooks';

describe('webhook subscriptions, with private receivers refused', () => {
  let h: Harness;
  let base: string;
  let admin: string;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    h = await startHarness(
      { WEBHOOK_DISABLE_AFTER_FAILURES: '3', WEBHOOK_DISABLE_AFTER_MINUTES: '0', WEBHOOK_TIMEOUT_MS: '1000' },
      { webhooks: { retry: { attempts: 10, baseMs: 50, maxMs: 100 } } },
    );
    base = `http://127.0.0.1:${h.service.port}`;
    admin = await signToken({ role: 'admin' });
  });
  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  const call = async (method: string, path: string, body?: unknown, token = admin) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  };
  const db = () => createDb(h.pool, {});

  it('creates a subscription, shows its whsec_ secret once, and stores it only sealed', async () => {
    const created = await call('POST', '/v1/webhooks', {
      url: PUBLIC_URL,
      events: ['booking.confirmed', 'booking.cancelled'],
      description: 'CRM',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: PUBLIC_URL,
      events: ['booking.confirmed', 'booking.cancelled'],
      description: 'CRM',
      includePersonalData: false,
      active: true,
      consecutiveFailures: 0,
      previousSecretExpiresAt: null,
    });
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{44}$/);
    const id = created.body.id as string;

    const read = await call('GET', `/v1/webhooks/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.secret).toBeUndefined();
    const list = await call('GET', '/v1/webhooks');
    expect((list.body.items as { id: string; secret?: string }[]).find((s) => s.id === id)).toMatchObject({
      id,
    });
    expect(JSON.stringify(list.body)).not.toContain(secret);

    const stored = await db().execute(
      sql`SELECT secret_sealed FROM notification.webhook_subscriptions WHERE id = ${id}`,
    );
    const sealed = String(stored.rows[0]!.secret_sealed);
    expect(sealed).not.toContain(secret.slice(6));
    expect(sealed.startsWith('v1.')).toBe(true);
  });

  it('changes URL, events and on/off, and deletes', async () => {
    const { body } = await call('POST', '/v1/webhooks', { url: PUBLIC_URL, events: ['booking.created'] });
    const id = body.id as string;
    const changed = await call('PATCH', `/v1/webhooks/${id}`, {
      url: 'https://93.184.215.15/other',
      events: ['payment.succeeded', 'payment.refunded'],
      active: false,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      url: 'https://93.184.215.15/other',
      events: ['payment.succeeded', 'payment.refunded'],
      active: false,
    });
    expect((await call('PATCH', `/v1/webhooks/${id}`, { active: true })).body.active).toBe(true);
    expect((await call('DELETE', `/v1/webhooks/${id}`)).status).toBe(204);
    expect((await call('GET', `/v1/webhooks/${id}`)).status).toBe(404);
    expect((await call('DELETE', `/v1/webhooks/${id}`)).status).toBe(404);
    expect((await call('PATCH', `/v1/webhooks/${id}`, { active: true })).status).toBe(404);
    expect((await call('POST', `/v1/webhooks/${id}/rotate-secret`, {})).status).toBe(404);
    expect((await call('GET', `/v1/webhooks/${id}/deliveries`)).status).toBe(404);
  });

  it('pages through subscriptions with a cursor and refuses a forged one', async () => {
    for (let i = 0; i < 3; i += 1)
      await call('POST', '/v1/webhooks', { url: PUBLIC_URL, events: ['booking.created'] });
    const first = await call('GET', '/v1/webhooks?limit=2');
    expect(first.body.items).toHaveLength(2);
    const next = await call('GET', `/v1/webhooks?limit=2&cursor=${first.body.nextCursor as string}`);
    expect(next.status).toBe(200);
    const ids = [...(first.body.items as { id: string }[]), ...(next.body.items as { id: string }[])].map(
      (s) => s.id,
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect((await call('GET', '/v1/webhooks?cursor=bm9wZQ')).status).toBe(400);
  });

  it('is for admins only', async () => {
    const concierge = await signToken({ role: 'concierge' });
    const customer = await signToken({ role: 'customer' });
    const body = { url: PUBLIC_URL, events: ['booking.created'] };
    expect((await call('POST', '/v1/webhooks', body, concierge)).status).toBe(403);
    expect((await call('GET', '/v1/webhooks', undefined, customer)).status).toBe(403);
    const anonymous = await fetch(`${base}/v1/webhooks`);
    expect(anonymous.status).toBe(401);
    const superAdmin = await signToken({ role: 'super_admin' });
    expect((await call('GET', '/v1/webhooks', undefined, superAdmin)).status).toBe(200);
  });

  it.each([
    [{ url: 'not a url', events: ['booking.created'] }, 'url'],
    [{ url: PUBLIC_URL, events: [] }, 'events'],
    [{ url: PUBLIC_URL, events: ['booking.exploded'] }, 'events'],
    [{ url: PUBLIC_URL, events: ['booking.created', 'booking.created'] }, 'events'],
    [{ url: PUBLIC_URL }, 'events'],
    [{ url: PUBLIC_URL, events: ['booking.created'], extra: 1 }, 'body'],
    [{ url: PUBLIC_URL, events: ['booking.created'], includePersonalData: 'yes' }, 'includePersonalData'],
  ])('refuses the malformed subscription %j with a 400 problem naming %s', async (body, field) => {
    const res = await call('POST', '/v1/webhooks', body);
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect(JSON.stringify(res.body.errors)).toContain(field === 'body' ? '' : field);
  });

  it.each([
    ['http://93.184.215.14/hooks', /https/],
    ['https://127.0.0.1/hooks', /loopback/],
    ['https://localhost:8443/hooks', /loopback/],
    ['https://10.0.0.8/hooks', /private/],
    ['https://192.168.1.1/hooks', /private/],
    ['https://172.20.0.1/hooks', /private/],
    ['https://169.254.169.254/latest/meta-data', /linkLocal/],
    ['https://100.64.1.1/hooks', /carrierGradeNat/],
    ['https://0.0.0.0/hooks', /unspecified/],
    ['https://[::1]/hooks', /loopback/],
    ['https://[fd00::1]/hooks', /uniqueLocal/],
    ['https://[fe80::1]/hooks', /linkLocal/],
    ['https://[::ffff:127.0.0.1]/hooks', /loopback/],
    ['https://[::ffff:a00:1]/hooks', /private/],
    ['https://user:pw@93.184.215.14/hooks', /credentials/],
    ['https://no-such-host.invalid/hooks', /does not resolve/],
  ])('refuses the receiver %s when it is typed', async (url, reason) => {
    const res = await call('POST', '/v1/webhooks', { url, events: ['booking.created'] });
    expect(res.status).toBe(400);
    expect((res.body.errors as { field: string; message: string }[])[0]).toMatchObject({ field: 'url' });
    expect((res.body.errors as { message: string }[])[0]!.message).toMatch(reason);
    const { body } = await call('POST', '/v1/webhooks', { url: PUBLIC_URL, events: ['booking.created'] });
    expect((await call('PATCH', `/v1/webhooks/${body.id as string}`, { url })).status).toBe(400);
  });

  it('refuses a private receiver again at delivery, counts it as a failure, and switches the subscription off after too many', async () => {
    const { body } = await call('POST', '/v1/webhooks', { url: PUBLIC_URL, events: ['booking.created'] });
    const id = body.id as string;
    // As if the name now resolved to a private address: the guard runs again at every attempt.
    const local = `https://localhost:${new URL(receiver.url).port}/hooks`;
    await db().execute(sql`UPDATE notification.webhook_subscriptions SET url = ${local} WHERE id = ${id}`);
    await h.publish('booking.created', bookingSummary({ status: 'pending_payment' }));

    const disabled = await eventually(async () => {
      const res = await call('GET', `/v1/webhooks/${id}`);
      return res.body.active === false && res.body;
    });
    expect(disabled.disabledAt).toEqual(expect.any(String));
    expect(disabled.disabledReason).toMatch(/3 failed attempts in a row/);
    expect(receiver.received).toHaveLength(0);
    const log = await call('GET', `/v1/webhooks/${id}/deliveries`);
    const [delivery] = log.body.items as {
      status: string;
      attempts: number;
      error: string;
      responseStatus: null;
    }[];
    expect(delivery).toMatchObject({ status: 'failed', attempts: 3, responseStatus: null });
    expect(delivery!.error).toMatch(/refused: localhost resolves to 127\.0\.0\.1 is a loopback address/);

    const events = await db().execute(
      sql`SELECT data FROM notification.outbox WHERE type = 'webhook.disabled' AND data->>'subscriptionId' = ${id}`,
    );
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0]!.data).toMatchObject({ subscriptionId: id, consecutiveFailures: 3 });

    const metrics = await (await fetch(`${base}/metrics`)).text();
    const sample = (name: string, ...labels: string[]) =>
      metrics
        .split('\n')
        .find(
          (line) =>
            line.startsWith(`${name}{`) && [`subscription="${id}"`, ...labels].every((l) => line.includes(l)),
        )
        ?.split(' ')
        .at(-1);
    expect(sample('midas_webhook_disabled_total')).toBe('1');
    expect(sample('midas_webhook_attempts_total', 'outcome="failed"')).toBe('3');
    expect(sample('midas_webhook_latency_seconds_count')).toBe('3');

    // A disabled subscription is not replayed until switched on again.
    const deliveryId = (log.body.items as { id: string }[])[0]!.id;
    const replay = await call('POST', `/v1/webhooks/${id}/deliveries/${deliveryId}/replay`);
    expect(replay.status).toBe(409);
    const on = await call('PATCH', `/v1/webhooks/${id}`, { active: true });
    expect(on.body).toMatchObject({ active: true, disabledAt: null, consecutiveFailures: 0 });
  });

  it('answers 404 for an unknown subscription and 400 for a malformed id', async () => {
    expect((await call('GET', `/v1/webhooks/${randomUUID()}`)).status).toBe(404);
    expect((await call('GET', '/v1/webhooks/nope')).status).toBe(400);
    expect((await call('PATCH', `/v1/webhooks/${randomUUID()}`, {})).status).toBe(400);
    expect(
      (await call('POST', `/v1/webhooks/${randomUUID()}/rotate-secret`, { overlapSeconds: -1 })).status,
    ).toBe(400);
  });
});
