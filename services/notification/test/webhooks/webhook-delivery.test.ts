/**
 * Outbound webhooks end to end: events published on the broker as booking and calendar publish
 * them, the notification service with its webhooks consumer and worker, a local HTTP receiver,
 * and signatures checked by a verifier written from the Standard Webhooks specification.
 */
import { randomUUID } from 'node:crypto';
import { calendarEvents, webhookPayloads, type WebhookEventType } from '@midas/contracts';
import type { Envelope } from '@midas/messaging';
import { bearer, eventually as within, signToken } from '@midas/testing';
import { bookingSummary, startHarness, type Harness } from '../support/harness';
import { startReceiver, type ReceivedWebhook, type Receiver } from './support/receiver';
import { verifyWebhook } from './support/verifier';

/** Waits generously: the machine running the suite may be busy, and only a missing outcome should fail. */
const eventually = <T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 30_000) =>
  within(check, Math.max(timeoutMs, 30_000));

const ALL_EVENTS: WebhookEventType[] = [
  'booking.created',
  'booking.confirmed',
  'booking.modified',
  'booking.cancelled',
  'booking.completed',
  'booking.no_show',
  'booking.concierge_assigned',
  'payment.succeeded',
  'payment.refunded',
  'calendar.conflict',
];

interface Subscription {
  id: string;
  secret: string;
}
interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  latencyMs: number | null;
  error: string | null;
  sequence: number;
}

describe('outbound webhooks, delivered to a local receiver', () => {
  let h: Harness;
  let base: string;
  let admin: string;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    h = await startHarness(
      { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '2000' },
      { webhooks: { retry: { attempts: 40, baseMs: 100, maxMs: 400 } } },
    );
    base = `http://127.0.0.1:${h.service.port}`;
    admin = await signToken({ role: 'admin' });
  });
  afterAll(async () => {
    await h?.close();
    await Promise.allSettled(receivers.map((r) => r.close()));
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...bearer(admin), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const receiver = async () => {
    const r = await startReceiver();
    receivers.push(r);
    return r;
  };
  const subscribe = async (url: string, events: WebhookEventType[], extra: Record<string, unknown> = {}) => {
    const res = await api('POST', '/v1/webhooks', { url, events, ...extra });
    expect(res.status).toBe(201);
    return res.body as unknown as Subscription;
  };
  const deliveries = async (subscriptionId: string) => {
    const res = await api('GET', `/v1/webhooks/${subscriptionId}/deliveries?limit=200`);
    expect(res.status).toBe(200);
    return res.body.items as Delivery[];
  };
  const typeOf = (m: ReceivedWebhook) => (JSON.parse(m.body) as { type: string }).type;
  const parsed = (m: ReceivedWebhook) =>
    JSON.parse(m.body) as {
      type: WebhookEventType;
      sequence: number;
      timestamp: string;
      data: Record<string, unknown>;
    };
  const conflict = async (bookingIds: string[], itemId: string) => {
    const envelope: Envelope = {
      id: randomUUID(),
      type: 'calendar.conflict',
      version: 1,
      occurredAt: new Date().toISOString(),
      source: 'calendar',
      data: calendarEvents['calendar.conflict'].parse({
        itemId,
        calendarId: 'ops@example.com',
        googleEventId: `g${Date.now()}`,
        start: '2037-07-01T09:00:00.000Z',
        end: '2037-07-01T10:00:00.000Z',
        summary: 'Hull maintenance',
        bookingIds,
      }),
    };
    await h.republish(envelope);
    return envelope;
  };

  /** Publishes a booking's whole life; returns the webhook types in the order they happened. */
  const bookingLife = async () => {
    const booking = bookingSummary({ status: 'pending_payment' });
    const at = { ...booking, actor: 'system' };
    await h.publish('booking.created', booking);
    await h.publish('payment.succeeded', {
      bookingId: booking.bookingId,
      provider: 'local',
      amount: booking.total,
      currency: booking.currency,
    });
    await h.publish('booking.status_changed', {
      ...at,
      status: 'confirmed',
      from: 'pending_payment',
      to: 'confirmed',
    });
    await h.publish('booking.status_changed', {
      ...at,
      status: 'concierge_assigned',
      conciergeId: 'concierge-7',
      from: 'confirmed',
      to: 'concierge_assigned',
    });
    await h.publish('booking.modified', {
      ...booking,
      status: 'concierge_assigned',
      start: '2037-07-02T08:00:00.000Z',
      end: '2037-07-02T16:00:00.000Z',
      previous: { start: booking.start, end: booking.end, total: booking.total },
      actor: 'customer-1',
    });
    await conflict([booking.bookingId], booking.itemId);
    // Not offered to integrators: produces nothing.
    await h.publish('booking.status_changed', {
      ...at,
      status: 'ready',
      from: 'concierge_assigned',
      to: 'ready',
    });
    await h.publish('booking.status_changed', {
      ...at,
      status: 'in_progress',
      from: 'ready',
      to: 'in_progress',
    });
    await h.publish('booking.status_changed', {
      ...at,
      status: 'completed',
      from: 'in_progress',
      to: 'completed',
    });
    await h.publish('refund.issued', {
      ...booking,
      status: 'completed',
      amount: 5000,
      reason: 'fuel credit',
    });
    return {
      booking,
      types: [
        'booking.created',
        'payment.succeeded',
        'booking.confirmed',
        'booking.concierge_assigned',
        'booking.modified',
        'calendar.conflict',
        'booking.completed',
        'payment.refunded',
      ],
    };
  };

  it("sends a booking's life as the subscribed events, in sequence order, each signed as the specification says", async () => {
    const r = await receiver();
    const sub = await subscribe(`${r.url}/hooks/midas`, ALL_EVENTS);
    const { booking, types } = await bookingLife();

    await eventually(async () => r.received.length >= types.length, 20_000);
    const messages = r.received.map(parsed).sort((a, b) => a.sequence - b.sequence);
    expect(messages.map((m) => m.type)).toEqual(types);
    expect(messages.map((m) => m.sequence)).toEqual(types.map((_, i) => i + 1));
    for (const m of r.received) {
      expect(verifyWebhook(sub.secret, m)).toBe(true);
      expect(m.path).toBe('/hooks/midas');
      const payload = webhookPayloads[typeOf(m) as WebhookEventType].parse(JSON.parse(m.body));
      expect(payload.data.bookingId).toBe(booking.bookingId);
      // No guest details: the subscription did not ask for them.
      expect(m.body).not.toContain(booking.guest!.email);
      expect(m.body).not.toContain(booking.guest!.name);
    }
    expect(new Set(r.received.map((m) => m.id)).size).toBe(types.length);
    // A tampered body or another secret does not verify.
    const [first] = r.received;
    expect(verifyWebhook(sub.secret, { ...first!, body: first!.body.replace('booking', 'bookinG') })).toBe(
      false,
    );
    expect(verifyWebhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, first!)).toBe(false);

    const log = await eventually(async () => {
      const items = await deliveries(sub.id);
      return items.length === types.length && items.every((d) => d.status === 'delivered') && items;
    });
    for (const d of log) {
      expect(d).toMatchObject({ attempts: 1, responseStatus: 204, error: null });
      expect(d.latencyMs).toEqual(expect.any(Number));
    }
    await api('DELETE', `/v1/webhooks/${sub.id}`);
  });

  it('never sends an event type the subscription did not ask for', async () => {
    const narrow = await receiver();
    const everything = await receiver();
    const cancelledOnly = await subscribe(narrow.url, ['booking.cancelled']);
    const sentinel = await subscribe(everything.url, ALL_EVENTS);
    const booking = bookingSummary({ status: 'pending_payment' });
    const at = { ...booking, actor: 'system' };
    await h.publish('booking.created', booking);
    await h.publish('booking.status_changed', {
      ...at,
      status: 'confirmed',
      from: 'pending_payment',
      to: 'confirmed',
    });
    await h.publish('booking.status_changed', {
      ...at,
      status: 'cancelled',
      from: 'confirmed',
      to: 'cancelled',
    });
    await h.publish('booking.status_changed', {
      ...at,
      status: 'refunded',
      from: 'cancelled',
      to: 'refunded',
    });
    await eventually(async () => everything.received.length >= 3 && narrow.received.length >= 1);
    // Both subscriptions' deliveries were recorded in the same transactions: nothing more can come.
    const log = await deliveries(cancelledOnly.id);
    expect(log.map((d) => d.eventType)).toEqual(['booking.cancelled']);
    expect(narrow.received.map(typeOf)).toEqual(['booking.cancelled']);
    expect(verifyWebhook(cancelledOnly.secret, narrow.received[0]!)).toBe(true);
    expect(everything.received.map(typeOf).sort()).toEqual([
      'booking.cancelled',
      'booking.confirmed',
      'booking.created',
    ]);
    await api('DELETE', `/v1/webhooks/${cancelledOnly.id}`);
    await api('DELETE', `/v1/webhooks/${sentinel.id}`);
  });

  it('sends an event the broker delivered twice only once', async () => {
    const r = await receiver();
    const sub = await subscribe(r.url, ['booking.created', 'booking.confirmed']);
    const booking = bookingSummary({ status: 'pending_payment' });
    const created = await h.publish('booking.created', booking);
    await h.republish(created);
    await h.republish(created);
    await h.publish('booking.status_changed', {
      ...booking,
      actor: 'system',
      status: 'confirmed',
      from: 'pending_payment',
      to: 'confirmed',
    });
    await eventually(async () => r.received.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(r.received.map(typeOf).sort()).toEqual(['booking.confirmed', 'booking.created']);
    expect(await deliveries(sub.id)).toHaveLength(2);
    await api('DELETE', `/v1/webhooks/${sub.id}`);
  });

  it('gives a receiver that was down every event once it is back, none twice, with the same webhook-id as its failed attempts', async () => {
    const r = await receiver();
    const sub = await subscribe(r.url, ['booking.created', 'booking.confirmed', 'booking.cancelled']);
    await r.down();
    const bookings = [
      bookingSummary({ status: 'pending_payment' }),
      bookingSummary({ status: 'pending_payment' }),
    ];
    for (const b of bookings) {
      await h.publish('booking.created', b);
      await h.publish('booking.status_changed', {
        ...b,
        actor: 'system',
        status: 'confirmed',
        from: 'pending_payment',
        to: 'confirmed',
      });
    }
    await h.publish('booking.status_changed', {
      ...bookings[0]!,
      actor: 'system',
      status: 'cancelled',
      from: 'confirmed',
      to: 'cancelled',
    });
    // Every delivery has failed at least twice while the receiver was away.
    const failing = await eventually(async () => {
      const items = await deliveries(sub.id);
      return items.length === 5 && items.every((d) => d.attempts >= 2) && items;
    }, 20_000);
    for (const d of failing) {
      expect(d.status).toBe('pending');
      expect(d.responseStatus).toBeNull();
      expect(d.error).toMatch(/ECONNREFUSED|refused|socket/i);
    }
    expect(r.received).toHaveLength(0);

    await r.up();
    await eventually(async () => {
      const items = await deliveries(sub.id);
      return items.every((d) => d.status === 'delivered');
    }, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(r.received).toHaveLength(5);
    expect(new Set(r.received.map((m) => m.id))).toEqual(new Set(failing.map((d) => d.id)));
    for (const m of r.received) expect(verifyWebhook(sub.secret, m)).toBe(true);
    const sub0 = r.received.map(parsed).filter((m) => m.data.bookingId === bookings[0]!.bookingId);
    expect(sub0.sort((a, b) => a.sequence - b.sequence).map((m) => m.type)).toEqual([
      'booking.created',
      'booking.confirmed',
      'booking.cancelled',
    ]);
    await api('DELETE', `/v1/webhooks/${sub.id}`);
  });

  it('replays a delivery with the same webhook-id and body, freshly signed', async () => {
    const r = await receiver();
    const sub = await subscribe(r.url, ['booking.created']);
    await h.publish('booking.created', bookingSummary({ status: 'pending_payment' }));
    const [original] = await eventually(async () => r.received.length === 1 && r.received);
    const [delivery] = await eventually(async () => {
      const items = await deliveries(sub.id);
      return items[0]?.status === 'delivered' && items;
    });
    expect(delivery!.id).toBe(original!.id);

    const replay = await api('POST', `/v1/webhooks/${sub.id}/deliveries/${delivery!.id}/replay`);
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ id: delivery!.id, status: 'pending' });
    const [, again] = await eventually(async () => r.received.length === 2 && r.received);
    expect(again!.id).toBe(original!.id);
    expect(again!.body).toBe(original!.body);
    expect(verifyWebhook(sub.secret, again!)).toBe(true);
    const [after] = await eventually(async () => {
      const items = await deliveries(sub.id);
      return items[0]?.status === 'delivered' && items[0].attempts === 2 && items;
    });
    expect(after!.attempts).toBe(2);

    expect((await api('POST', `/v1/webhooks/${sub.id}/deliveries/${randomUUID()}/replay`)).status).toBe(404);
    expect((await api('POST', `/v1/webhooks/${randomUUID()}/deliveries/${delivery!.id}/replay`)).status).toBe(
      404,
    );
    expect((await api('POST', `/v1/webhooks/${sub.id}/deliveries/not-a-uuid/replay`)).status).toBe(400);
    await api('DELETE', `/v1/webhooks/${sub.id}`);
  });

  it('signs with both the new and the previous secret during a rotation overlap, and with the new one only after', async () => {
    const r = await receiver();
    const sub = await subscribe(r.url, ['booking.created']);
    const rotated = await api('POST', `/v1/webhooks/${sub.id}/rotate-secret`, { overlapSeconds: 3600 });
    expect(rotated.status).toBe(200);
    const next = rotated.body.secret as string;
    expect(next).toMatch(/^whsec_/);
    expect(next).not.toBe(sub.secret);
    expect(rotated.body.previousSecretExpiresAt).toEqual(expect.any(String));

    await h.publish('booking.created', bookingSummary({ status: 'pending_payment' }));
    const [during] = await eventually(async () => r.received.length === 1 && r.received);
    expect(during!.signature.split(' ')).toHaveLength(2);
    expect(verifyWebhook(sub.secret, during!)).toBe(true);
    expect(verifyWebhook(next, during!)).toBe(true);

    const ended = await api('POST', `/v1/webhooks/${sub.id}/rotate-secret`, { overlapSeconds: 0 });
    const latest = ended.body.secret as string;
    expect(ended.body.previousSecretExpiresAt).toBeNull();
    await h.publish('booking.created', bookingSummary({ status: 'pending_payment' }));
    const [, after] = await eventually(async () => r.received.length === 2 && r.received);
    expect(after!.signature.split(' ')).toHaveLength(1);
    expect(verifyWebhook(latest, after!)).toBe(true);
    expect(verifyWebhook(next, after!)).toBe(false);
    expect(verifyWebhook(sub.secret, after!)).toBe(false);
    await api('DELETE', `/v1/webhooks/${sub.id}`);
  });

  it('includes guest details only for a subscription that asked for them', async () => {
    const plain = await receiver();
    const personal = await receiver();
    const a = await subscribe(plain.url, ['booking.created']);
    const b = await subscribe(personal.url, ['booking.created'], { includePersonalData: true });
    const booking = bookingSummary({ status: 'pending_payment', customerId: 'customer-42' });
    await h.publish('booking.created', booking);
    await eventually(async () => plain.received.length === 1 && personal.received.length === 1);
    expect(parsed(plain.received[0]!).data.guest).toBeUndefined();
    expect(plain.received[0]!.body).not.toContain('customer-42');
    expect(parsed(personal.received[0]!).data).toMatchObject({
      guest: booking.guest,
      customerId: 'customer-42',
    });
    await api('DELETE', `/v1/webhooks/${a.id}`);
    await api('DELETE', `/v1/webhooks/${b.id}`);
  });

  it('treats a redirect as a failure and does not follow it', async () => {
    const r = await receiver();
    r.answerWith(302);
    const sub = await subscribe(r.url, ['booking.created']);
    await h.publish('booking.created', bookingSummary({ status: 'pending_payment' }));
    const [d] = await eventually(async () => {
      const items = await deliveries(sub.id);
      return items[0] && items[0].attempts >= 2 && items;
    });
    expect(d).toMatchObject({ status: 'pending', responseStatus: 302 });
    expect(d!.error).toMatch(/redirect refused/);
    expect(r.refused).toBeGreaterThanOrEqual(2);
    await api('DELETE', `/v1/webhooks/${sub.id}`);
  });
});
