/**
 * The refund repair sweep against Stripe's local stand-in: a cancellation while Stripe is down
 * leaves the booking cancelled with its refund pending, retried with backoff while Stripe stays
 * away, and refunded by the policy's amount, once, when it is back; an answer lost on the way is
 * asked for again under the same idempotency key; a refund whose charge.refunded never came is read back.
 */
import { at, createItem } from '../harness';
import { FakeStripe } from '../support/fake-stripe';
import {
  bookAsGuest,
  outboxData,
  policyRefund,
  type ProviderStack,
  startStripeStack,
  waitForStatus,
} from '../support/payment-stack';
import { call, eventually } from '../harness';

let fake: FakeStripe;
let ps: ProviderStack<FakeStripe>;
let webhookUrl: string;

beforeAll(async () => {
  ps = await startStripeStack(
    {},
    { scheduler: { refundSweepEveryMs: 250, refundRetryBaseMs: 200, refundRetryMaxMs: 800 } },
  );
  fake = ps.fake;
  webhookUrl = `${ps.stack.base}/v1/payments/stripe/webhook`;
}, 120_000);
afterAll(async () => {
  await ps?.stop();
});

beforeEach(() => {
  fake.refundMode = 'succeeded';
  fake.outage = undefined;
  fake.dropResponses = undefined;
});

async function confirmedBooking(days: number) {
  const item = await createItem(ps.stack);
  const b = await bookAsGuest(ps.stack, { itemId: item.id, start: at(days), end: at(days + 2) });
  const pi = fake.intentFor(b.id)!;
  fake.pay(pi.id);
  expect((await fake.deliver(webhookUrl, fake.event('payment_intent.succeeded', pi))).status).toBe(200);
  await waitForStatus(ps.stack, b.id, b.q, 'confirmed');
  const expected = await policyRefund(
    ps,
    { itemType: 'car', start: b.body.start, currency: 'EUR' },
    pi.amount,
  );
  return { ...b, pi, expected };
}

async function refundRows(bookingId: string) {
  const { rows } = await ps.pool.query(
    `SELECT id, status, amount::int AS amount, provider_ref AS "providerRef", repair_attempts AS "repairAttempts"
       FROM booking.payments WHERE booking_id = $1 AND kind = 'refund'`,
    [bookingId],
  );
  return rows as {
    id: string;
    status: string;
    amount: number;
    providerRef: string | null;
    repairAttempts: number;
  }[];
}

async function cancel(b: { id: string; q: string }) {
  return call(ps.stack, 'POST', `/v1/bookings/${b.id}/cancel${b.q}`, { body: { reason: 'plans changed' } });
}

describe('refund repair sweep', () => {
  it('cancels while Stripe is down with the refund pending, retries with backoff, and refunds the policy amount exactly once when Stripe is back', async () => {
    const b = await confirmedBooking(30);
    expect(b.expected).toBeGreaterThan(0);

    await fake.stop();
    let cancelled: Awaited<ReturnType<typeof cancel>>;
    let attemptsWhileDown: number;
    try {
      cancelled = await cancel(b);
      // The sweep keeps trying while Stripe is away, each time later than the last.
      await eventually(async () => (await refundRows(b.id))[0]!.repairAttempts >= 2, 15_000, 100);
      attemptsWhileDown = (await refundRows(b.id))[0]!.repairAttempts;
      expect((await call(ps.stack, 'GET', `/v1/bookings/${b.id}${b.q}`)).body.status).toBe('cancelled');
    } finally {
      await fake.start(fake.port);
    }
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const [pending] = await refundRows(b.id);
    expect(pending).toMatchObject({ status: 'pending', amount: b.expected, providerRef: null });
    expect(attemptsWhileDown).toBeGreaterThanOrEqual(2);

    const refunded = await waitForStatus(ps.stack, b.id, b.q, 'refunded', 20_000);
    expect(refunded.refunded).toBe(b.expected);
    expect(fake.refundsOf(b.pi.id)).toEqual([
      expect.objectContaining({ amount: b.expected, status: 'succeeded' }),
    ]);
    const [settled] = await refundRows(b.id);
    expect(settled).toMatchObject({ status: 'succeeded', amount: b.expected });
    expect(settled!.providerRef).toBe(fake.refundsOf(b.pi.id)[0]!.id);
    expect(await outboxData(ps.pool, 'refund.issued', b.id)).toEqual([
      expect.objectContaining({ amount: b.expected, purpose: 'cancellation' }),
    ]);
  });

  it('asks again under the same idempotency key when the answer to a refund was lost, leaving one refund at Stripe', async () => {
    const b = await confirmedBooking(35);

    fake.dropResponses = /^POST \/v1\/refunds$/;
    const cancelled = await cancel(b);
    expect(cancelled.body.status).toBe('cancelled');
    // Stripe made the refund; the service never heard of it.
    expect(fake.refundsOf(b.pi.id)).toHaveLength(1);
    expect((await refundRows(b.id))[0]).toMatchObject({ status: 'pending', providerRef: null });
    fake.dropResponses = undefined;

    await waitForStatus(ps.stack, b.id, b.q, 'refunded', 20_000);
    expect(fake.refundsOf(b.pi.id)).toEqual([expect.objectContaining({ amount: b.expected })]);
    const [row] = await refundRows(b.id);
    const asks = fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds');
    const mine = asks.filter((r) => r.idempotencyKey === `booking-${b.id}-refund-${row!.id}`);
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine.some((r) => r.replayed)).toBe(true);
    expect(await outboxData(ps.pool, 'refund.issued', b.id)).toHaveLength(1);
  });

  it('reads back a started refund whose charge.refunded never arrived, and closes the booking once Stripe settled it', async () => {
    const b = await confirmedBooking(40);
    fake.refundMode = 'pending';
    const cancelled = await cancel(b);
    expect(cancelled.body.status).toBe('cancelled');
    const [refund] = fake.refundsOf(b.pi.id);
    expect(refund).toMatchObject({ amount: b.expected, status: 'pending' });

    // Still pending at Stripe: the sweep looks and leaves it so.
    await eventually(async () => (await refundRows(b.id))[0]!.repairAttempts >= 1, 10_000, 100);
    expect((await call(ps.stack, 'GET', `/v1/bookings/${b.id}${b.q}`)).body.status).toBe('cancelled');

    fake.settleRefund(refund!.id);
    await waitForStatus(ps.stack, b.id, b.q, 'refunded', 20_000);
    expect(fake.refundsOf(b.pi.id)).toHaveLength(1);
    expect(await outboxData(ps.pool, 'refund.issued', b.id)).toHaveLength(1);
  });
});
