/**
 * PayPal through the official server SDK pointed at a local PayPal-compatible server: an order
 * per booking, captured once the payer approved it, and cancellation refunds against the capture
 * equal to pricing's policy.
 */
import { toDecimalString } from '@midas/contracts';
import { at, call, createItem, guest } from '../harness';
import { FakePayPal } from '../support/fake-paypal';
import {
  bookAsGuest,
  outboxCount,
  policyRefund,
  type ProviderStack,
  startPayPalStack,
  waitForStatus,
} from '../support/payment-stack';

let fake: FakePayPal;
let ps: ProviderStack<FakePayPal>;

beforeAll(async () => {
  ps = await startPayPalStack();
  fake = ps.fake;
}, 120_000);
afterAll(async () => {
  await ps?.stop();
});

describe('PayPal payments', () => {
  it('creates an order per booking, confirms the booking when the approved order is captured, and refunds a cancellation by policy', async () => {
    const item = await createItem(ps.stack);
    const b = await bookAsGuest(ps.stack, { itemId: item.id, start: at(15), end: at(17) });
    const order = fake.orderFor(b.id)!;
    const total = b.body.price.total as number;
    expect(b.body.payment).toMatchObject({ provider: 'paypal', status: 'pending', clientSecret: order.id });
    expect(order.purchase_units[0]!.amount).toEqual({
      currency_code: 'EUR',
      value: toDecimalString(total, 'EUR'),
    });
    expect(fake.requests.find((r) => r.path === '/v2/checkout/orders')?.requestId).toMatch(
      new RegExp(`^booking-${b.id}-payment-`),
    );

    const capture = () => call(ps.stack, 'POST', `/v1/payments/paypal/${b.id}/capture${b.q}`);
    const early = await capture();
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/not been approved/);
    expect((await call(ps.stack, 'GET', `/v1/bookings/${b.id}${b.q}`)).body.status).toBe('pending_payment');

    fake.approve(order.id);
    const paid = await capture();
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'confirmed', paid: total });
    expect(fake.orders.get(order.id)!.status).toBe('COMPLETED');
    expect((await capture()).status).toBe(409);
    expect(await outboxCount(ps.pool, 'payment.succeeded', b.id)).toBe(1);

    const expected = await policyRefund(ps, { itemType: 'car', start: b.body.start, currency: 'EUR' }, total);
    const cancelled = await call(ps.stack, 'POST', `/v1/bookings/${b.id}/cancel${b.q}`, {
      body: { reason: 'changed my mind' },
    });
    expect(cancelled.status).toBe(200);
    const refunded = await waitForStatus(ps.stack, b.id, b.q, 'refunded');
    expect(refunded).toMatchObject({ refunded: expected, paid: total - expected });
    const captureId = fake.captureOf(order.id)!.id;
    expect(fake.refundsOf(captureId)).toEqual([
      expect.objectContaining({ amount: { currency_code: 'EUR', value: toDecimalString(expected, 'EUR') } }),
    ]);
    expect(fake.requests.find((r) => r.path.endsWith('/refund'))?.requestId).toMatch(
      new RegExp(`^booking-${b.id}-refund-`),
    );
  });

  it('refuses a booking that asks for Stripe where only PayPal is configured, with a 400 and nothing held', async () => {
    const item = await createItem(ps.stack);
    const slot = { itemId: item.id, start: at(25), end: at(26) };
    const refused = await call(ps.stack, 'POST', '/v1/bookings', {
      body: { ...slot, guest, paymentProvider: 'stripe' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: 'paymentProvider', message: expect.stringMatching(/paypal/) }),
    ]);
    const free = await call(
      ps.stack,
      'GET',
      `/v1/availability?itemId=${item.id}&start=${slot.start}&end=${slot.end}`,
    );
    expect(free.body.available).toBe(true);
    expect(fake.orderFor(item.id)).toBeUndefined();
  });
});
