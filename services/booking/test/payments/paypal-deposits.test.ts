/**
 * PayPal security deposits with the official server SDK against a local PayPal-compatible server:
 * an authorize-intent order beside the booking's capture order, authorised once the payer approved
 * it (the money held, nothing taken), then captured in part by staff once the guest checked in, or
 * voided on release; PayPal's authorisation webhooks agree with what staff did.
 */
import { addConcierge, call, createItem, eventually, token } from '../stack';
import {
  FakePayPal,
  PAYPAL_CLIENT_ID,
  PAYPAL_CLIENT_SECRET,
  PAYPAL_WEBHOOK_ID,
} from '../support/fake-paypal';
import { bookAsGuest, startPaymentStack, waitForStatus, type PaymentStack } from '../support/payment-stack';

let fake: FakePayPal;
let ps: PaymentStack;
let admin: string;
let webhookUrl: string;

beforeAll(async () => {
  fake = await new FakePayPal().start();
  ps = await startPaymentStack({
    PAYPAL_CLIENT_ID,
    PAYPAL_CLIENT_SECRET,
    PAYPAL_API_BASE: fake.url,
    PAYPAL_WEBHOOK_ID,
  });
  webhookUrl = `${ps.stack.base}/v1/payments/paypal/webhook`;
  admin = await token({ role: 'admin', sub: 'paypal-deposit-admin' });
  await addConcierge(ps.stack, 'conc-paypal-antibes', 'antibes');
}, 120_000);
afterAll(async () => {
  await ps?.stop();
  await fake?.stop();
});
beforeEach(() => {
  fake.authorizationOutcome = 'CREATED';
});

/** A slot starting in `minutes`, within check-in's window, for a day. */
function soon(minutes: number, offsetDays = 0) {
  const start = new Date(Date.now() + minutes * 60_000 + offsetDays * 86_400_000);
  start.setUTCSeconds(0, 0);
  return { start: start.toISOString(), end: new Date(start.getTime() + 86_400_000).toISOString() };
}

/** A yacht booking paid through PayPal, its deposit order approved and authorised. */
async function paidYachtBooking(minutes: number, offsetDays = 0) {
  const yacht = await createItem(ps.stack, {
    type: 'yacht',
    location: 'antibes',
    timezone: 'Europe/Paris',
    rate: { unit: 'day', amount: 900_000 },
  });
  const b = await bookAsGuest(ps.stack, { itemId: yacht.id, ...soon(minutes, offsetDays) });
  const charge = fake.orderFor(b.id, 'CAPTURE')!;
  const deposit = fake.orderFor(b.id, 'AUTHORIZE')!;
  expect(b.body.deposit).toEqual({
    provider: 'paypal',
    status: 'pending',
    amount: 2_000_000,
    clientSecret: deposit.id,
  });
  expect(deposit.purchase_units[0]!.amount).toEqual({ currency_code: 'EUR', value: '20000.00' });

  fake.approve(charge.id);
  fake.approve(deposit.id);
  const paid = await call(ps.stack, 'POST', `/v1/payments/paypal/${b.id}/capture${b.q}`);
  expect(paid.status).toBe(200);
  expect(paid.body.deposit).toMatchObject({ status: 'authorized', amount: 2_000_000 });
  expect(fake.authorizationOf(deposit.id)).toMatchObject({ status: 'CREATED' });
  expect(fake.captureOf(deposit.id)).toBeUndefined();
  await waitForStatus(ps.stack, b.id, b.q, 'concierge_assigned');
  return { ...b, charge, deposit };
}

describe('PayPal security deposits', () => {
  it('authorises the deposit order once approved and lets staff capture part of it after check-in', async () => {
    const b = await paidYachtBooking(30);
    const checkIn = await call(ps.stack, 'POST', `/v1/bookings/${b.id}/status`, {
      token: admin,
      body: { status: 'in_progress' },
    });
    expect(checkIn.status).toBe(200);
    const captured = await call(ps.stack, 'POST', `/v1/bookings/${b.id}/deposit/capture`, {
      token: admin,
      body: { amount: 500_000, reason: 'scratched hull' },
    });
    expect(captured.status).toBe(200);
    expect(captured.body.deposit).toMatchObject({ status: 'succeeded', captured: 500_000 });
    expect(fake.authorizationOf(b.deposit.id)).toMatchObject({ status: 'PARTIALLY_CAPTURED' });
    expect(fake.captureOf(b.deposit.id)).toMatchObject({
      status: 'COMPLETED',
      amount: { currency_code: 'EUR', value: '5000.00' },
    });
    expect(
      fake.requests.find((r) => r.path.endsWith('/capture') && r.path.includes('/authorizations/'))
        ?.requestId,
    ).toMatch(/^capture-/);

    // PayPal's own events about it, replayed, change nothing more.
    const event = fake.event('PAYMENT.AUTHORIZATION.CAPTURED', fake.authorizationOf(b.deposit.id)!);
    for (let i = 0; i < 5; i++) expect((await fake.deliver(webhookUrl, event)).status).toBe(200);
    const after = await call(ps.stack, 'GET', `/v1/bookings/${b.id}`, { token: admin });
    expect(after.body.deposit).toMatchObject({ status: 'succeeded', captured: 500_000 });
    expect(fake.ordersFor(b.id).flatMap((o) => o.purchase_units[0]!.payments?.captures ?? [])).toHaveLength(
      2,
    );
  });

  it('voids the authorisation when staff release the deposit', async () => {
    const b = await paidYachtBooking(600, 3);
    const released = await call(ps.stack, 'POST', `/v1/bookings/${b.id}/deposit/release`, {
      token: admin,
      body: {},
    });
    expect(released.status).toBe(200);
    expect(released.body.deposit).toMatchObject({ status: 'cancelled' });
    expect(fake.authorizationOf(b.deposit.id)).toMatchObject({ status: 'VOIDED' });
    expect(fake.captureOf(b.deposit.id)).toBeUndefined();
  });

  it('takes a void made at PayPal (its PAYMENT.AUTHORIZATION.VOIDED webhook) as the deposit released', async () => {
    const b = await paidYachtBooking(600, 4);
    fake.authorizationOf(b.deposit.id)!.status = 'VOIDED';
    const event = fake.event('PAYMENT.AUTHORIZATION.VOIDED', fake.authorizationOf(b.deposit.id)!);
    expect((await fake.deliver(webhookUrl, event)).status).toBe(200);
    await eventually(
      async () =>
        (await call(ps.stack, 'GET', `/v1/bookings/${b.id}`, { token: admin })).body.deposit?.status ===
        'cancelled',
      10_000,
      100,
    );
    const capture = await call(ps.stack, 'POST', `/v1/bookings/${b.id}/deposit/capture`, {
      token: admin,
      body: { amount: 1 },
    });
    expect(capture.status).toBe(409);
  });
});
