/**
 * Payments against the hold's clock (HOLD_TTL_SECONDS=10), with Stripe's local stand-in: a
 * declined payment expires with its hold; a payment already processing when the hold lapses
 * keeps the booking and, when it succeeds, re-takes a free slot or is refunded in full with the
 * guest told why; one that fails instead expires the booking.
 */
import { at, call, createItem, eventually, token } from '../harness';
import { FakeStripe } from '../support/fake-stripe';
import {
  bookAsGuest,
  outboxData,
  policyRefund,
  type ProviderStack,
  startStripeStack,
  waitForStatus,
} from '../support/payment-stack';

let fake: FakeStripe;
let ps: ProviderStack<FakeStripe>;
let webhookUrl: string;

beforeAll(async () => {
  ps = await startStripeStack({
    HOLD_TTL_SECONDS: '10',
  });
  fake = ps.fake;
  webhookUrl = `${ps.stack.base}/v1/payments/stripe/webhook`;
}, 120_000);
afterAll(async () => {
  await ps?.stop();
});

async function holdExpiriesHandled(): Promise<number> {
  const { rows } = await ps.pool.query(
    "SELECT count(*)::int AS n FROM booking.inbox WHERE type = 'hold.expired'",
  );
  return rows[0].n as number;
}

/** Books, then lets the hold lapse and waits until booking has handled availability's hold.expired. */
async function bookAndLetHoldLapse(days: number, beforeLapse: (piId: string) => void | Promise<void>) {
  const item = await createItem(ps.stack);
  const slot = { itemId: item.id, start: at(days), end: at(days + 1) };
  const b = await bookAsGuest(ps.stack, slot);
  const pi = fake.intentFor(b.id)!;
  const handled = await holdExpiriesHandled();
  await beforeLapse(pi.id);
  await eventually(async () => (await holdExpiriesHandled()) > handled, 40_000, 250);
  return { ...b, pi, slot };
}

describe('payments and the hold clock', () => {
  it('expires a booking whose declined payment is not retried before the hold lapses, and cancels its PaymentIntent', async () => {
    const b = await bookAndLetHoldLapse(5, async (piId) => {
      fake.decline(piId);
      expect(
        (await fake.deliver(webhookUrl, fake.event('payment_intent.payment_failed', fake.intents.get(piId)!)))
          .status,
      ).toBe(200);
    });
    const expired = await waitForStatus(ps.stack, b.id, b.q, 'expired');
    expect(expired.paid).toBe(0);
    expect(fake.intents.get(b.pi.id)!.status).toBe('canceled');
  }, 60_000);

  it('keeps a booking whose payment is processing when the hold lapses, and confirms it when the payment succeeds and the slot is still free', async () => {
    const b = await bookAndLetHoldLapse(6, (piId) => void fake.startProcessing(piId));
    const waiting = await call(ps.stack, 'GET', `/v1/bookings/${b.id}${b.q}`);
    expect(waiting.body.status).toBe('pending_payment');
    expect(fake.intents.get(b.pi.id)!.status).toBe('processing');

    fake.pay(b.pi.id);
    expect((await fake.deliver(webhookUrl, fake.event('payment_intent.succeeded', b.pi))).status).toBe(200);
    const confirmed = await waitForStatus(ps.stack, b.id, b.q, 'confirmed');
    expect(confirmed.paid).toBe(b.pi.amount);
    // The slot is the late payer's again: nobody else can book it.
    const other = await call(ps.stack, 'POST', '/v1/bookings', {
      token: await token({ role: 'customer', sub: 'late-free-other' }),
      body: b.slot,
    });
    expect(other.status).toBe(409);
    expect(fake.refundsOf(b.pi.id)).toHaveLength(0);
  }, 60_000);

  it('refunds a late payment in full when the slot was taken meanwhile, and tells the guest why', async () => {
    const b = await bookAndLetHoldLapse(7, (piId) => void fake.startProcessing(piId));
    const other = await call(ps.stack, 'POST', '/v1/bookings', {
      token: await token({ role: 'customer', sub: 'late-taken-other' }),
      body: b.slot,
    });
    expect(other.status).toBe(201);

    fake.pay(b.pi.id);
    expect((await fake.deliver(webhookUrl, fake.event('payment_intent.succeeded', b.pi))).status).toBe(200);
    const refunded = await waitForStatus(ps.stack, b.id, b.q, 'refunded');
    // In full: what pricing grants when the policy is waived (100 %, no fee), which is all that was paid.
    const full = await policyRefund(
      ps,
      { itemType: 'car', start: b.slot.start, currency: 'EUR' },
      b.pi.amount,
      {
        forceMajeure: true,
      },
    );
    expect(full).toBe(b.pi.amount);
    expect(refunded).toMatchObject({ refunded: full, paid: 0 });
    expect(fake.refundsOf(b.pi.id)).toEqual([expect.objectContaining({ amount: full, status: 'succeeded' })]);
    expect(await outboxData(ps.pool, 'refund.issued', b.id)).toEqual([
      expect.objectContaining({
        amount: full,
        reason: 'late_payment_slot_taken',
        guest: expect.objectContaining({ email: 'grace@example.com' }),
      }),
    ]);
    const history = await call(ps.stack, 'GET', `/v1/bookings/${b.id}/history${b.q}`);
    const statuses = history.body.items.filter((e: { kind: string }) => e.kind === 'status');
    expect(statuses.map((e: { to: string; reason?: string }) => [e.to, e.reason])).toEqual([
      ['pending_payment', 'created'],
      ['cancelled', 'late_payment_slot_taken'],
      ['refunded', 'refund_settled'],
    ]);
    // The other guest keeps the slot.
    expect(
      (
        await call(ps.stack, 'GET', `/v1/bookings/${other.body.id}`, {
          token: await token({ role: 'customer', sub: 'late-taken-other' }),
        })
      ).body.status,
    ).toBe('pending_payment');
  }, 60_000);

  it('expires a booking whose processing payment fails after the hold lapsed', async () => {
    const b = await bookAndLetHoldLapse(8, (piId) => void fake.startProcessing(piId));
    expect((await call(ps.stack, 'GET', `/v1/bookings/${b.id}${b.q}`)).body.status).toBe('pending_payment');
    fake.decline(b.pi.id, 'The bank refused the transfer.');
    expect((await fake.deliver(webhookUrl, fake.event('payment_intent.payment_failed', b.pi))).status).toBe(
      200,
    );
    await waitForStatus(ps.stack, b.id, b.q, 'expired');
    expect(fake.intents.get(b.pi.id)!.status).toBe('canceled');
    expect(await outboxData(ps.pool, 'payment.failed', b.id)).toEqual([
      expect.objectContaining({ reason: 'The bank refused the transfer.' }),
    ]);
  }, 60_000);
});
