/**
 * Stripe end to end with the official client pointed at a local Stripe-compatible server:
 * PaymentIntents per booking with idempotency keys, signed webhooks replayed and shuffled,
 * refused signatures, retries after a decline, refunds (pending until charge.refunded) equal to
 * pricing's policy, and price differences of a change charged and refunded.
 */
import { ValidationFailed } from '@midas/contracts';
import { StripePaymentProvider } from '../../src/payments/stripe-provider';
import { at, call, createItem, eventually, token } from '../harness';
import {
  FakeStripe,
  TEST_SECRET_KEY,
  TEST_WEBHOOK_SECRET,
  type StripeEventBody,
} from '../support/fake-stripe';
import {
  bookAsGuest,
  outboxCount,
  outboxData,
  policyRefund,
  type ProviderStack,
  shuffled,
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

beforeEach(() => {
  fake.refundMode = 'succeeded';
  fake.outage = undefined;
});

async function bookingState(id: string) {
  const payments = await ps.pool.query(
    'SELECT kind, purpose, status, amount::int AS amount FROM booking.payments WHERE booking_id = $1 ORDER BY created_at',
    [id],
  );
  const booking = await ps.pool.query('SELECT status FROM booking.bookings WHERE id = $1', [id]);
  return { status: booking.rows[0].status as string, payments: payments.rows };
}

async function newBooking(days: number) {
  const item = await createItem(ps.stack);
  const body = { itemId: item.id, start: at(days), end: at(days + 2) };
  const booked = await bookAsGuest(ps.stack, body);
  const pi = fake.intentFor(booked.id)!;
  return { ...booked, item, pi, slot: body };
}

describe('Stripe payments', () => {
  it('creates one PaymentIntent per booking with an idempotency key from the booking, and returns its client secret', async () => {
    const item = await createItem(ps.stack);
    const body = { itemId: item.id, start: at(30), end: at(31) };
    const first = await bookAsGuest(ps.stack, body, { 'Idempotency-Key': 'stripe-create-1' });
    const again = await call(ps.stack, 'POST', '/v1/bookings', {
      body: { ...body, guest: first.body.guest },
      headers: { 'Idempotency-Key': 'stripe-create-1' },
    });

    const pi = fake.intentFor(first.id)!;
    expect(first.body.payment).toMatchObject({
      provider: 'stripe',
      status: 'pending',
      clientSecret: pi.client_secret,
    });
    expect(again.body.id).toBe(first.id);
    expect(again.body.payment.clientSecret).toBe(pi.client_secret);
    expect([...fake.intents.values()].filter((p) => p.metadata.booking_id === first.id)).toHaveLength(1);
    expect(pi).toMatchObject({
      amount: first.body.price.total,
      currency: 'eur',
      capture_method: 'automatic',
    });
    const create = fake.requests.find(
      (r) => r.path === '/v1/payment_intents' && r.idempotencyKey?.includes(first.id),
    );
    expect(create?.idempotencyKey).toMatch(new RegExp(`^booking-${first.id}-payment-`));
  });

  it('applies each signed webhook once when each is replayed 5 times in shuffled order, ending where the PaymentIntent is', async () => {
    const b = await newBooking(20);
    fake.decline(b.pi.id);
    const declined = fake.event('payment_intent.payment_failed', b.pi);
    fake.pay(b.pi.id);
    const succeeded = fake.event('payment_intent.succeeded', b.pi);

    // Deliveries race each other: five copies of each, all at once, in a shuffled order.
    const burst = shuffled([...Array(5).fill(declined), ...Array(5).fill(succeeded)] as StripeEventBody[], 7);
    const answers = await Promise.all(burst.map((e) => fake.deliver(webhookUrl, e)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));

    const confirmed = await waitForStatus(ps.stack, b.id, b.q, 'confirmed');
    expect(confirmed.paid).toBe(b.pi.amount);
    expect(await bookingState(b.id)).toEqual({
      status: 'confirmed',
      payments: [{ kind: 'charge', purpose: 'booking', status: 'succeeded', amount: b.pi.amount }],
    });
    expect(await outboxCount(ps.pool, 'payment.succeeded', b.id)).toBe(1);
    // No losing duplicate gave the slot back: it is still this booking's.
    const rival = await call(ps.stack, 'POST', '/v1/bookings', {
      token: await token({ role: 'customer', sub: 'burst-rival' }),
      body: b.slot,
    });
    expect(rival.status).toBe(409);
    // The decline was stale by the time it was read back: the PaymentIntent had succeeded.
    expect(await outboxCount(ps.pool, 'payment.failed', b.id)).toBe(0);
    const seen = await ps.pool.query('SELECT event_id FROM booking.webhook_events WHERE event_id = ANY($1)', [
      [declined.id, succeeded.id],
    ]);
    expect(seen.rowCount).toBe(2);

    // The cancellation refund stays pending at Stripe until charge.refunded, replayed and shuffled with stale events.
    fake.refundMode = 'pending';
    const expected = await policyRefund(
      ps,
      { itemType: 'car', start: b.body.start, currency: 'EUR' },
      b.pi.amount,
    );
    const cancelled = await call(ps.stack, 'POST', `/v1/bookings/${b.id}/cancel${b.q}`, {
      body: { reason: 'plans changed' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const [refund] = fake.refundsOf(b.pi.id);
    expect(refund).toMatchObject({ amount: expected, status: 'pending' });
    fake.settleRefund(refund!.id);
    const refunded = fake.chargeRefundedEvent(b.pi.id);

    const replay = shuffled([...Array(5).fill(refunded), declined, succeeded] as StripeEventBody[], 11);
    const outcomes: boolean[] = [];
    for (const e of replay) {
      const answer = await fake.deliver(webhookUrl, e);
      expect(answer.status).toBe(200);
      if (e.id === refunded.id) outcomes.push(answer.body.duplicate as boolean);
    }
    expect(outcomes.filter((duplicate) => !duplicate)).toHaveLength(1);

    const final = await waitForStatus(ps.stack, b.id, b.q, 'refunded');
    expect(final).toMatchObject({ refunded: expected, paid: b.pi.amount - expected });
    expect(await outboxCount(ps.pool, 'refund.issued', b.id)).toBe(1);
    expect((await outboxData(ps.pool, 'refund.issued', b.id))[0]).toMatchObject({ amount: expected });
    expect(fake.refundsOf(b.pi.id)).toHaveLength(1);
  });

  it('refuses a tampered body, a wrong secret, a stale timestamp, a re-serialised body and a missing signature with 400, changing nothing', async () => {
    const b = await newBooking(40);
    fake.pay(b.pi.id);
    const event = fake.event('payment_intent.succeeded', b.pi);
    const payload = JSON.stringify(event);
    const tampered = payload.replace(`"amount":${b.pi.amount}`, '"amount":1');
    expect(tampered).not.toBe(payload);

    const refusals = [
      await fake.deliver(webhookUrl, event, { body: tampered }),
      await fake.deliver(webhookUrl, event, { secret: 'whsec_not_ours' }),
      await fake.deliver(webhookUrl, event, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      // What a JSON parser in front of the handler would pass on: same content, other bytes.
      await fake.deliver(webhookUrl, event, { body: JSON.stringify(JSON.parse(payload), null, 2) }),
      await fake.deliver(webhookUrl, event, { signature: '' }),
    ];
    for (const refusal of refusals) {
      expect(refusal.status).toBe(400);
      expect(refusal.body).toMatchObject({
        status: 400,
        errors: [expect.objectContaining({ field: 'Stripe-Signature' })],
      });
    }
    expect(await bookingState(b.id)).toMatchObject({ status: 'pending_payment' });
    expect(await outboxCount(ps.pool, 'payment.succeeded', b.id)).toBe(0);
    const seen = await ps.pool.query('SELECT 1 FROM booking.webhook_events WHERE event_id = $1', [event.id]);
    expect(seen.rowCount).toBe(0);

    // The same event, untouched and freshly signed, is accepted: the refusals were about the signature alone.
    expect((await fake.deliver(webhookUrl, event)).status).toBe(200);
    await waitForStatus(ps.stack, b.id, b.q, 'confirmed');
  });

  it('refuses an already-parsed body before looking at the signature', () => {
    const stripe = new StripePaymentProvider({
      secretKey: TEST_SECRET_KEY,
      webhookSecret: TEST_WEBHOOK_SECRET,
      apiBase: fake.url,
    });
    const event = fake.event('payment_intent.succeeded', { id: 'pi_x', object: 'payment_intent' });
    const payload = JSON.stringify(event);
    const header = fake.signature(payload);
    expect(() => stripe.verifyWebhook(JSON.parse(payload), header)).toThrow(ValidationFailed);
    expect(stripe.verifyWebhook(Buffer.from(payload), header)).toMatchObject({
      id: event.id,
      objectId: 'pi_x',
    });
  });

  it('keeps a declined booking pending_payment with the same client secret, records the attempt, and confirms on the retry', async () => {
    const b = await newBooking(50);
    fake.decline(b.pi.id, 'Your card has insufficient funds.');
    const failed = fake.event('payment_intent.payment_failed', b.pi);
    for (let i = 0; i < 3; i++) expect((await fake.deliver(webhookUrl, failed)).status).toBe(200);

    const after = await call(ps.stack, 'GET', `/v1/bookings/${b.id}${b.q}`);
    expect(after.body).toMatchObject({
      status: 'pending_payment',
      payment: { provider: 'stripe', status: 'pending', clientSecret: b.pi.client_secret },
    });
    expect(await outboxData(ps.pool, 'payment.failed', b.id)).toEqual([
      expect.objectContaining({ provider: 'stripe', reason: 'Your card has insufficient funds.' }),
    ]);
    const history = await call(ps.stack, 'GET', `/v1/bookings/${b.id}/history${b.q}`);
    expect(history.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'payment',
          status: 'attempt_failed',
          providerRef: b.pi.id,
          detail: 'Your card has insufficient funds.',
        }),
      ]),
    );

    fake.pay(b.pi.id);
    expect((await fake.deliver(webhookUrl, fake.event('payment_intent.succeeded', b.pi))).status).toBe(200);
    await waitForStatus(ps.stack, b.id, b.q, 'confirmed');
    const paidHistory = await call(ps.stack, 'GET', `/v1/bookings/${b.id}/history${b.q}`);
    const statuses = paidHistory.body.items
      .filter((e: { kind: string }) => e.kind === 'payment')
      .map((e: { status: string }) => e.status);
    expect(statuses).toEqual(['pending', 'attempt_failed', 'succeeded']);
  });

  it('gives back in full a payment that was already processing when the guest cancelled, and closes the booking', async () => {
    const b = await newBooking(70);
    fake.startProcessing(b.pi.id);
    const cancelled = await call(ps.stack, 'POST', `/v1/bookings/${b.id}/cancel${b.q}`, {
      body: { reason: 'found another yacht' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', paid: 0 });
    expect(fake.intents.get(b.pi.id)!.status).toBe('processing');

    fake.pay(b.pi.id);
    expect((await fake.deliver(webhookUrl, fake.event('payment_intent.succeeded', b.pi))).status).toBe(200);
    const refunded = await waitForStatus(ps.stack, b.id, b.q, 'refunded');
    // In full, as pricing grants when its policy is waived (100 %, no fee).
    const full = await policyRefund(
      ps,
      { itemType: 'car', start: b.slot.start, currency: 'EUR' },
      b.pi.amount,
      {
        forceMajeure: true,
      },
    );
    expect(full).toBe(b.pi.amount);
    expect(refunded).toMatchObject({ paid: 0, refunded: full });
    expect(fake.refundsOf(b.pi.id)).toEqual([expect.objectContaining({ amount: b.pi.amount })]);
    expect(await outboxData(ps.pool, 'refund.issued', b.id)).toEqual([
      expect.objectContaining({ amount: b.pi.amount, reason: 'late_payment' }),
    ]);
  });

  it('books nothing and frees the slot when Stripe cannot create the PaymentIntent', async () => {
    const item = await createItem(ps.stack);
    const slot = { itemId: item.id, start: at(80), end: at(81) };
    fake.outage = /^POST \/v1\/payment_intents$/;
    const refused = await call(ps.stack, 'POST', '/v1/bookings', {
      token: await token({ role: 'customer', sub: 'outage-1' }),
      body: slot,
    });
    expect(refused.status).toBe(503);
    expect(refused.body.detail).toMatch(/nothing was booked/);
    fake.outage = undefined;
    const next = await call(ps.stack, 'POST', '/v1/bookings', {
      token: await token({ role: 'customer', sub: 'outage-2' }),
      body: slot,
    });
    expect(next.status).toBe(201);
  });

  it('answers 503 without recording the event when Stripe cannot be asked, and applies the redelivery', async () => {
    const b = await newBooking(90);
    fake.pay(b.pi.id);
    const event = fake.event('payment_intent.succeeded', b.pi);
    fake.outage = /^GET \/v1\/payment_intents\//;
    expect((await fake.deliver(webhookUrl, event)).status).toBe(503);
    expect(await bookingState(b.id)).toMatchObject({ status: 'pending_payment' });
    const seen = await ps.pool.query('SELECT 1 FROM booking.webhook_events WHERE event_id = $1', [event.id]);
    expect(seen.rowCount).toBe(0);

    fake.outage = undefined;
    const again = await fake.deliver(webhookUrl, event);
    expect(again).toMatchObject({ status: 200, body: { duplicate: false } });
    await waitForStatus(ps.stack, b.id, b.q, 'confirmed');
  });

  it('charges a change that raises the price and refunds one that lowers it, partially, through Stripe', async () => {
    const b = await newBooking(60);
    fake.pay(b.pi.id);
    await fake.deliver(webhookUrl, fake.event('payment_intent.succeeded', b.pi));
    await waitForStatus(ps.stack, b.id, b.q, 'confirmed');

    const longer = await call(ps.stack, 'PATCH', `/v1/bookings/${b.id}${b.q}`, {
      body: { start: at(60), end: at(63) },
    });
    expect(longer.status).toBe(202);
    const longerTotal = longer.body.pendingChange.price.total as number;
    const difference = longerTotal - b.pi.amount;
    expect(longer.body.pendingChange).toMatchObject({ difference });
    const extra = [...fake.intents.values()].find((p) => p.metadata.booking_id === b.id && p.id !== b.pi.id)!;
    expect(extra.amount).toBe(difference);
    expect(longer.body.payment.clientSecret).toBe(extra.client_secret);
    fake.pay(extra.id);
    await fake.deliver(webhookUrl, fake.event('payment_intent.succeeded', extra));
    await eventuallyPaid(b, longerTotal);

    const shorter = await call(ps.stack, 'PATCH', `/v1/bookings/${b.id}${b.q}`, {
      body: { start: at(60), end: at(61) },
    });
    expect(shorter.status).toBe(200);
    const back = longerTotal - shorter.body.price.total;
    expect(shorter.body.settlement).toMatchObject({ kind: 'refund', amount: back });
    const refunds = [...fake.refunds.values()].filter(
      (r) => r.payment_intent === extra.id || r.payment_intent === b.pi.id,
    );
    expect(refunds.reduce((sum, r) => sum + r.amount, 0)).toBe(back);
    expect(refunds.every((r) => r.metadata.booking_id === b.id)).toBe(true);
    await eventuallyPaid(b, shorter.body.price.total);
  });
});

async function eventuallyPaid(b: { id: string; q: string }, amount: number): Promise<void> {
  await eventually(
    async () => (await call(ps.stack, 'GET', `/v1/bookings/${b.id}${b.q}`)).body.paid === amount,
    10_000,
    100,
  );
}
