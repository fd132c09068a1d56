/**
 * The webhooks consumer acks an event no active subscription wants without an inbox transaction,
 * yet never misses one for a subscription that existed when the event happened, even if another
 * replica created it (here: a row written straight into the database, which this process did not
 * see being made).
 */
import { randomUUID } from 'node:crypto';
import { createDb } from '@midas/db';
import { bearer, eventually, signToken } from '@midas/testing';
import { insertSubscription } from '../../src/webhooks/db/subscriptions';
import { DEV_WEBHOOK_SECRET_KEY, SecretBox } from '../../src/webhooks/domain/secret-box';
import { newSigningSecret } from '../../src/webhooks/domain/signature';
import { WEBHOOK_CONSUMER } from '../../src/webhooks/events/consume/webhook-consumer';
import { bookingSummary, startHarness, type Harness } from '../support/harness';
import { startReceiver, type Receiver } from './support/receiver';

describe('webhook events no subscription wants', () => {
  let h: Harness;
  let r: Receiver;

  beforeAll(async () => {
    h = await startHarness({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '2000' });
    r = await startReceiver();
    const res = await fetch(`http://127.0.0.1:${h.service.port}/v1/webhooks`, {
      method: 'POST',
      headers: { ...bearer(await signToken({ role: 'admin' })), 'content-type': 'application/json' },
      body: JSON.stringify({ url: r.url, events: ['booking.confirmed'] }),
    });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await h?.close();
    await r?.close();
  });

  const inboxed = async (eventId: string) =>
    (
      await h.pool.query('SELECT 1 FROM notification.inbox WHERE consumer = $1 AND event_id = $2', [
        WEBHOOK_CONSUMER,
        eventId,
      ])
    ).rowCount;
  const deliveriesOf = async (eventId: string) =>
    (await h.pool.query('SELECT 1 FROM notification.webhook_deliveries WHERE event_id = $1', [eventId]))
      .rowCount;
  const typeOf = (body: string) => (JSON.parse(body) as { type: string }).type;

  it('acks an event no subscription wants with no inbox row and no delivery', async () => {
    const booking = bookingSummary({ status: 'pending_payment' });
    const created = await h.publish('booking.created', booking);
    // Handled after the created event: one message at a time, in order.
    const confirmed = await h.publish('booking.status_changed', {
      ...booking,
      actor: 'system',
      status: 'confirmed',
      from: 'pending_payment',
      to: 'confirmed',
    });
    await eventually(async () => r.received.some((m) => typeOf(m.body) === 'booking.confirmed'), 30_000);
    expect(await inboxed(confirmed.id)).toBe(1);
    expect(await deliveriesOf(confirmed.id)).toBe(1);
    expect(await inboxed(created.id)).toBe(0);
    expect(await deliveriesOf(created.id)).toBe(0);
  });

  it('delivers an event to a subscription another replica created just before it', async () => {
    // The view is warm: a payment is seen and passed over first.
    const earlier = await h.publish('payment.succeeded', {
      bookingId: randomUUID(),
      provider: 'local',
      amount: 100,
      currency: 'EUR',
    });
    const marker = bookingSummary({ status: 'pending_payment' });
    await h.publish('booking.status_changed', {
      ...marker,
      actor: 'system',
      status: 'confirmed',
      from: 'pending_payment',
      to: 'confirmed',
    });
    await eventually(async () => r.received.filter((m) => m.body.includes(marker.bookingId)).length === 1);
    expect(await inboxed(earlier.id)).toBe(0);

    const other = await startReceiver();
    try {
      await insertSubscription(createDb(h.pool, {}), {
        id: randomUUID(),
        url: other.url,
        events: ['payment.succeeded'],
        description: null,
        includePersonalData: false,
        secretSealed: new SecretBox(DEV_WEBHOOK_SECRET_KEY).seal(newSigningSecret()),
        createdBy: null,
      });
      const bookingId = randomUUID();
      const paid = await h.publish('payment.succeeded', {
        bookingId,
        provider: 'local',
        amount: 100,
        currency: 'EUR',
      });
      await eventually(async () => other.received.some((m) => m.body.includes(bookingId)), 30_000);
      expect(other.received.map((m) => typeOf(m.body))).toEqual(['payment.succeeded']);
      expect(await inboxed(paid.id)).toBe(1);
    } finally {
      await other.close();
    }
  });
});
