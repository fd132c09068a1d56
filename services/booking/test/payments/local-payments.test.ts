/**
 * The `local` provider (no keys): the confirm endpoint pays, a yacht's deposit is held at the
 * same time, a cancellation's refund equals pricing's policy and settles at once (cancelled then
 * refunded), the deposit is released, and the Stripe webhook route does not exist.
 */
import { call, createItem, at } from '../harness';
import { FakeStripe } from '../support/fake-stripe';
import {
  bookAsGuest,
  outboxData,
  policyRefund,
  startPaymentStack,
  type PaymentStack,
} from '../support/payment-stack';

let ps: PaymentStack;

beforeAll(async () => {
  ps = await startPaymentStack({});
}, 120_000);
afterAll(async () => {
  await ps?.stop();
});

describe('local payments', () => {
  it('confirms with the local endpoint, holds the deposit, and refunds a cancellation by policy at once', async () => {
    const yacht = await createItem(ps.stack, {
      type: 'yacht',
      location: 'cannes',
      timezone: 'Europe/Paris',
      rate: { unit: 'day', amount: 700_000 },
    });
    const b = await bookAsGuest(ps.stack, { itemId: yacht.id, start: at(12), end: at(13) });
    expect(b.body.payment).toEqual(expect.objectContaining({ provider: 'local', status: 'pending' }));
    expect(b.body.payment.clientSecret).toBeUndefined();
    expect(b.body.deposit).toMatchObject({ provider: 'local', status: 'pending', amount: 2_000_000 });

    const paid = await call(ps.stack, 'POST', `/v1/payments/local/${b.id}/confirm${b.q}`);
    expect(paid.status).toBe(200);
    const total = b.body.price.total as number;
    expect(paid.body).toMatchObject({ status: 'confirmed', paid: total, deposit: { status: 'authorized' } });

    const expected = await policyRefund(
      ps,
      { itemType: 'yacht', start: b.body.start, currency: 'EUR' },
      total,
    );
    const cancelled = await call(ps.stack, 'POST', `/v1/bookings/${b.id}/cancel${b.q}`, {
      body: { reason: 'weather' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'refunded',
      refunded: expected,
      paid: total - expected,
      deposit: { status: 'cancelled' },
    });
    expect(await outboxData(ps.pool, 'refund.issued', b.id)).toEqual([
      expect.objectContaining({ amount: expected, reason: 'weather', purpose: 'cancellation' }),
    ]);
  });

  it('has no Stripe webhook when Stripe is not configured', async () => {
    const fake = new FakeStripe();
    const event = fake.event('payment_intent.succeeded', { id: 'pi_x', object: 'payment_intent' });
    const res = await fake.deliver(`${ps.stack.base}/v1/payments/stripe/webhook`, event);
    expect(res.status).toBe(404);
  });
});
