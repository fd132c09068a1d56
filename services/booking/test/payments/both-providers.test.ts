/**
 * Stripe and PayPal configured together, each through its official SDK against a local server
 * speaking its API: both are offered, a booking names its provider (Stripe when it names none),
 * and that provider alone takes the booking's charge, the difference of a change and the refunds.
 */
import { at, call, createItem, guest } from '../harness';
import { FakePayPal, PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET } from '../support/fake-paypal';
import { FakeStripe, TEST_SECRET_KEY, TEST_WEBHOOK_SECRET } from '../support/fake-stripe';
import { bookAsGuest, startPaymentStack, waitForStatus, type PaymentStack } from '../support/payment-stack';

let stripe: FakeStripe;
let paypal: FakePayPal;
let ps: PaymentStack;

beforeAll(async () => {
  stripe = await new FakeStripe().start();
  paypal = await new FakePayPal().start();
  ps = await startPaymentStack({
    STRIPE_SECRET_KEY: TEST_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    STRIPE_API_BASE: stripe.url,
    PAYPAL_CLIENT_ID,
    PAYPAL_CLIENT_SECRET,
    PAYPAL_API_BASE: paypal.url,
  });
}, 120_000);
afterAll(async () => {
  await ps?.stop();
  await paypal?.stop();
  await stripe?.stop();
});

async function providersOf(bookingId: string): Promise<string[]> {
  const { rows } = await ps.pool.query(
    `SELECT DISTINCT provider FROM booking.payments WHERE booking_id = $1
     UNION SELECT payment_provider FROM booking.bookings WHERE id = $1`,
    [bookingId],
  );
  return rows.map((r) => r.provider as string);
}

describe('Stripe and PayPal side by side', () => {
  it('takes a booking that names no provider through Stripe, the default', async () => {
    const item = await createItem(ps.stack);
    const b = await bookAsGuest(ps.stack, { itemId: item.id, start: at(20), end: at(21) });
    const pi = stripe.intentFor(b.id)!;
    expect(b.body.payment).toMatchObject({ provider: 'stripe', clientSecret: pi.client_secret });
    expect(paypal.orderFor(b.id)).toBeUndefined();
    expect(await providersOf(b.id)).toEqual(['stripe']);
  });

  it('keeps a PayPal booking on PayPal for its charge, a change that raises the price and the refund of its cancellation', async () => {
    const item = await createItem(ps.stack);
    const slot = { itemId: item.id, start: at(30), end: at(32) };
    const created = await call(ps.stack, 'POST', '/v1/bookings', {
      body: { ...slot, guest, paymentProvider: 'paypal' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const q = `?accessToken=${encodeURIComponent(created.body.accessToken as string)}`;
    const order = paypal.orderFor(id)!;
    expect(created.body.payment).toMatchObject({ provider: 'paypal', clientSecret: order.id });
    expect(stripe.intentFor(id)).toBeUndefined();

    paypal.approve(order.id);
    expect((await call(ps.stack, 'POST', `/v1/payments/paypal/${id}/capture${q}`)).status).toBe(200);
    const total = created.body.price.total as number;
    expect((await waitForStatus(ps.stack, id, q, 'confirmed')).paid).toBe(total);

    // A longer stay costs more: its difference is a second PayPal order, captured like the first.
    const longer = await call(ps.stack, 'PATCH', `/v1/bookings/${id}${q}`, { body: { end: at(33) } });
    expect(longer.status).toBe(202);
    const orders = [...paypal.orders.values()].filter((o) => o.purchase_units[0]!.custom_id === id);
    expect(orders).toHaveLength(2);
    const difference = orders.find((o) => o.id !== order.id)!;
    expect(longer.body.payment).toMatchObject({ provider: 'paypal', clientSecret: difference.id });
    paypal.approve(difference.id);
    expect((await call(ps.stack, 'POST', `/v1/payments/paypal/${id}/capture${q}`)).status).toBe(200);
    const changed = (await call(ps.stack, 'GET', `/v1/bookings/${id}${q}`)).body;
    expect(changed).toMatchObject({ end: at(33), status: 'confirmed' });
    expect(changed.paid).toBe(changed.price.total);

    const cancelled = await call(ps.stack, 'POST', `/v1/bookings/${id}/cancel${q}`, {
      body: { reason: 'plans changed' },
    });
    expect(cancelled.status).toBe(200);
    const refunded = await waitForStatus(ps.stack, id, q, 'refunded');
    const captureIds = orders.map((o) => paypal.captureOf(o.id)!.id);
    const refundedAtPayPal = captureIds
      .flatMap((c) => paypal.refundsOf(c))
      .reduce((sum, r) => sum + Math.round(Number(r.amount.value) * 100), 0);
    expect(refundedAtPayPal).toBe(refunded.refunded);
    expect(refunded.refunded).toBeGreaterThan(0);
    expect([...stripe.refunds.values()].filter((r) => r.metadata?.booking_id === id)).toEqual([]);
    expect(await providersOf(id)).toEqual(['paypal']);
  });

  it('refuses a provider it does not know with a 400 naming the field, and holds nothing', async () => {
    const item = await createItem(ps.stack);
    const slot = { itemId: item.id, start: at(40), end: at(41) };
    const refused = await call(ps.stack, 'POST', '/v1/bookings', {
      body: { ...slot, guest, paymentProvider: 'bitcoin' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'paymentProvider' })]);
    const { rows } = await ps.pool.query(
      'SELECT count(*)::int AS n FROM booking.bookings WHERE item_id = $1',
      [item.id],
    );
    expect(rows[0].n).toBe(0);
    const free = await call(
      ps.stack,
      'GET',
      `/v1/availability?itemId=${item.id}&start=${slot.start}&end=${slot.end}`,
    );
    expect(free.body.available).toBe(true);
  });
});
