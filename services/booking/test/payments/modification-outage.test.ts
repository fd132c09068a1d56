/**
 * A change that raises the price while Stripe cannot take the payment for the difference (it
 * answers 5xx, or nothing listens) is refused whole: 503 payment_provider_unavailable with
 * Retry-After, and the booking's dates, slot, price, payments and history stay as they were.
 * Once Stripe is back the same change goes through with its PaymentIntent.
 */
import { at, call, createItem, token } from '../harness';
import { FakeStripe } from '../support/fake-stripe';
import {
  bookAsGuest,
  type Json,
  outboxCount,
  type ProviderStack,
  startStripeStack,
  waitForStatus,
} from '../support/payment-stack';

let fake: FakeStripe;
let ps: ProviderStack<FakeStripe>;
let webhookUrl: string;

beforeAll(async () => {
  ps = await startStripeStack();
  fake = ps.fake;
  webhookUrl = `${ps.stack.base}/v1/payments/stripe/webhook`;
}, 120_000);
afterAll(async () => {
  await ps?.stop();
});

async function confirmedBooking(days: number) {
  const item = await createItem(ps.stack);
  const slot = { itemId: item.id, start: at(days), end: at(days + 2) };
  const b = await bookAsGuest(ps.stack, slot);
  const pi = fake.intentFor(b.id)!;
  fake.pay(pi.id);
  expect((await fake.deliver(webhookUrl, fake.event('payment_intent.succeeded', pi))).status).toBe(200);
  await waitForStatus(ps.stack, b.id, b.q, 'confirmed');
  return { ...b, item, pi, slot };
}

/** Everything a refused change must leave as it was. */
async function snapshot(b: { id: string; q: string; slot: { itemId: string; start: string; end: string } }) {
  const booking = (await call(ps.stack, 'GET', `/v1/bookings/${b.id}${b.q}`)).body;
  const history = (await call(ps.stack, 'GET', `/v1/bookings/${b.id}/history${b.q}`)).body;
  const payments = await ps.pool.query(
    'SELECT id, kind, purpose, status, amount::int AS amount FROM booking.payments WHERE booking_id = $1 ORDER BY created_at',
    [b.id],
  );
  const modifications = await ps.pool.query(
    'SELECT count(*)::int AS n FROM booking.modifications WHERE booking_id = $1',
    [b.id],
  );
  return {
    booking: {
      start: booking.start,
      end: booking.end,
      price: booking.price,
      paid: booking.paid,
      status: booking.status,
      version: booking.version,
    },
    history: history.items as Json[],
    payments: payments.rows,
    modifications: modifications.rows[0].n as number,
    modifiedEvents: await outboxCount(ps.pool, 'booking.modified', b.id),
    intents: [...fake.intents.values()].filter((p) => p.metadata.booking_id === b.id).length,
  };
}

async function availability(itemId: string, start: string, end: string): Promise<Json> {
  const q = new URLSearchParams({ itemId, start, end });
  return (await call(ps.stack, 'GET', `/v1/availability?${q}`)).body;
}

async function patch(b: { id: string; q: string }, body: unknown) {
  const res = await fetch(`${ps.stack.base}/v1/bookings/${b.id}${b.q}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as Json,
  };
}

describe('a price-raising change while Stripe is unreachable', () => {
  it('refuses a change of dates with 503 payment_provider_unavailable and Retry-After when Stripe answers 500, changing nothing, and makes it once Stripe is back', async () => {
    const b = await confirmedBooking(40);
    const moved = { start: at(45), end: at(48) };
    const before = await snapshot(b);

    fake.outage = /^POST \/v1\/payment_intents$/;
    const refused = await patch(b, moved);
    fake.outage = undefined;

    expect(refused.status).toBe(503);
    expect(refused.type).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 503, code: 'payment_provider_unavailable' });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(await snapshot(b)).toEqual(before);
    // The slot stayed where the booking is; the new dates are free for anyone.
    expect((await availability(b.item.id, b.slot.start, b.slot.end)).available).toBe(false);
    expect((await availability(b.item.id, moved.start, moved.end)).available).toBe(true);

    const made = await patch(b, moved);
    expect(made.status).toBe(202);
    expect(made.body.pendingChange).toMatchObject({ start: moved.start, end: moved.end });
    const extra = [...fake.intents.values()].find((p) => p.metadata.booking_id === b.id && p.id !== b.pi.id)!;
    const difference = (made.body.pendingChange.price.total as number) - b.pi.amount;
    expect(made.body.payment).toMatchObject({
      provider: 'stripe',
      status: 'pending',
      amount: difference,
      clientSecret: extra.client_secret,
    });
    expect(extra.amount).toBe(difference);
    // Until the difference is paid the booking keeps its slot and the new one is held beside it.
    expect((await availability(b.item.id, b.slot.start, b.slot.end)).available).toBe(false);
    expect((await availability(b.item.id, moved.start, moved.end)).available).toBe(false);
    fake.pay(extra.id);
    await fake.deliver(webhookUrl, fake.event('payment_intent.succeeded', extra));
    expect((await availability(b.item.id, b.slot.start, b.slot.end)).available).toBe(true);
    expect(await outboxCount(ps.pool, 'booking.modified', b.id)).toBe(1);
  });

  it('refuses a longer stay with 503 when nothing listens where Stripe should be, changing nothing', async () => {
    const b = await confirmedBooking(50);
    const longer = { start: b.slot.start, end: at(53) };
    const before = await snapshot(b);

    await fake.stop();
    let refused: Awaited<ReturnType<typeof patch>>;
    try {
      refused = await patch(b, longer);
    } finally {
      await fake.start(fake.port);
    }

    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: 'payment_provider_unavailable' });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(await snapshot(b)).toEqual(before);
    // The extra day is still free: a rival can book right after the booking's buffer.
    const rival = await call(ps.stack, 'POST', '/v1/holds', {
      token: await token({ role: 'customer', sub: 'outage-rival' }),
      body: { itemId: b.item.id, start: at(52, '14:00'), end: at(53) },
    });
    expect(rival.status).toBe(201);
  });

  it('still accepts a change that lowers the price while Stripe is down, recording the refund it owes', async () => {
    const b = await confirmedBooking(60);
    fake.outage = /./;
    const shorter = await patch(b, { start: b.slot.start, end: at(61) });
    fake.outage = undefined;
    expect(shorter.status).toBe(200);
    const back = b.pi.amount - shorter.body.price.total;
    expect(shorter.body.settlement).toMatchObject({ kind: 'refund', amount: back });
    const refunds = await ps.pool.query(
      "SELECT status, amount::int AS amount FROM booking.payments WHERE booking_id = $1 AND kind = 'refund'",
      [b.id],
    );
    expect(refunds.rows).toEqual([{ status: 'pending', amount: back }]);
  });
});
