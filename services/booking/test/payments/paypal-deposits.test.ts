/**
 * PayPal security deposits with the official server SDK against a local PayPal-compatible server:
 * an authorize-intent order beside the booking's capture order, authorised once the payer approved
 * it (the money held, nothing taken), then captured in part by staff once the guest checked in, or
 * voided on release; PayPal's authorisation webhooks agree with what staff did. At the deposit's
 * lead time a hold past PayPal's 3-day honour period is reauthorised, one past 29 days declined.
 */
import { addConcierge, call, createItem, eventually, token } from '../harness';
import { FakePayPal, PAYPAL_WEBHOOK_ID } from '../support/fake-paypal';
import {
  bookAsGuest,
  outboxData,
  type ProviderStack,
  startPayPalStack,
  waitForStatus,
} from '../support/payment-stack';

let fake: FakePayPal;
let ps: ProviderStack<FakePayPal>;
let admin: string;
let webhookUrl: string;

beforeAll(async () => {
  ps = await startPayPalStack(
    { PAYPAL_WEBHOOK_ID },
    // The deposit sweep renews the holds of these rentals, which start inside DEPOSIT_AUTH_LEAD_HOURS.
    { scheduler: { depositSweepEveryMs: 500 } },
  );
  ({ fake, webhookUrl } = ps);
  admin = await token({ role: 'admin', sub: 'paypal-deposit-admin' });
  await addConcierge(ps.stack, 'conc-paypal-antibes', 'antibes');
}, 120_000);
afterAll(async () => {
  await ps?.stop();
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

  it('reauthorises at the lead time a hold past its 3-day honour period, and staff capture against the renewed one', async () => {
    const b = await paidYachtBooking(40);
    const original = fake.authorizationOf(b.deposit.id)!;
    // The payer approved it 5 days ago: PayPal no longer honours it in full.
    await ps.pool.query(
      "UPDATE booking.payments SET authorized_at = now() - interval '5 days' WHERE provider_ref = $1",
      [b.deposit.id],
    );
    await eventually(async () => fake.reauthorized.has(original.id), 15_000, 100);
    const renewedId = fake.reauthorized.get(original.id)!;
    const authorizations = fake.orders.get(b.deposit.id)!.purchase_units[0]!.payments!.authorizations!;
    expect(authorizations.map((a) => [a.id, a.status])).toEqual([
      [original.id, 'CREATED'],
      [renewedId, 'CREATED'],
    ]);
    expect(authorizations[1]!.amount).toEqual({ currency_code: 'EUR', value: '20000.00' });
    expect(
      fake.requests.find((r) => r.path.endsWith(`/authorizations/${original.id}/reauthorize`))?.requestId,
    ).toMatch(new RegExp(`^booking-${b.id}-payment-.*-authorize-0$`));
    await eventually(
      async () => {
        const { rows } = await ps.pool.query(
          "SELECT authorized_at > now() - interval '1 minute' AS fresh, status FROM booking.payments WHERE provider_ref = $1",
          [b.deposit.id],
        );
        return rows[0].fresh === true && rows[0].status === 'authorized';
      },
      10_000,
      100,
    );
    // Renewed once: the sweep keeps it from now on.
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.requests.filter((r) => r.path.endsWith('/reauthorize'))).toHaveLength(
      [...fake.reauthorized.keys()].length,
    );

    const checkIn = await call(ps.stack, 'POST', `/v1/bookings/${b.id}/status`, {
      token: admin,
      body: { status: 'in_progress' },
    });
    expect(checkIn.status).toBe(200);
    const captured = await call(ps.stack, 'POST', `/v1/bookings/${b.id}/deposit/capture`, {
      token: admin,
      body: { amount: 300_000 },
    });
    expect(captured.status).toBe(200);
    expect(captured.body.deposit).toMatchObject({ status: 'succeeded', captured: 300_000 });
    expect(authorizations[1]!.status).toBe('PARTIALLY_CAPTURED');
    expect(authorizations[0]!.status).toBe('CREATED');
  });

  it('declines a hold past the 29 days PayPal can renew it in, and tells the guest and the admins', async () => {
    const b = await paidYachtBooking(50);
    await ps.pool.query(
      "UPDATE booking.payments SET authorized_at = now() - interval '30 days' WHERE provider_ref = $1",
      [b.deposit.id],
    );
    await eventually(
      async () =>
        (await call(ps.stack, 'GET', `/v1/bookings/${b.id}`, { token: admin })).body.depositStatus ===
        'declined',
      15_000,
      100,
    );
    expect(fake.reauthorized.has(fake.authorizationOf(b.deposit.id)!.id)).toBe(false);
    const events = await outboxData(ps.pool, 'payment.deposit_declined', b.id);
    expect(events).toEqual([
      expect.objectContaining({
        provider: 'paypal',
        code: 'authorization_expired',
        attempts: 1,
        guestCanComplete: false,
      }),
    ]);
  });
});
