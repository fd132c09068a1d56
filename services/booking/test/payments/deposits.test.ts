/**
 * Security deposits through Stripe's local stand-in: a separate manual-capture PaymentIntent for
 * items whose deposit policy (data) asks for one, authorised off-session with the card the
 * booking's payment saved (at once here: these rentals start inside DEPOSIT_AUTH_LEAD_HOURS),
 * captured in part or whole by staff once the guest checked in, or released.
 */
import { addConcierge, call, createItem, eventually, token } from '../harness';
import { FakeStripe } from '../support/fake-stripe';
import { bookAsGuest, type ProviderStack, startStripeStack, waitForStatus } from '../support/payment-stack';

let fake: FakeStripe;
let ps: ProviderStack<FakeStripe>;
let webhookUrl: string;
let admin: string;

beforeAll(async () => {
  ps = await startStripeStack();
  ({ fake, webhookUrl } = ps);
  admin = await token({ role: 'admin', sub: 'deposit-admin' });
  await addConcierge(ps.stack, 'conc-antibes', 'antibes');
}, 120_000);
afterAll(async () => {
  await ps?.stop();
});

/** A slot starting in `minutes`, within check-in's window, for a day. */
function soon(minutes: number, offsetDays = 0) {
  const start = new Date(Date.now() + minutes * 60_000 + offsetDays * 86_400_000);
  start.setUTCSeconds(0, 0);
  return { start: start.toISOString(), end: new Date(start.getTime() + 86_400_000).toISOString() };
}

/** A paid yacht booking with its deposit held. */
async function paidYachtBooking(minutes: number) {
  const yacht = await createItem(ps.stack, {
    type: 'yacht',
    location: 'antibes',
    timezone: 'Europe/Paris',
    rate: { unit: 'day', amount: 900_000 },
  });
  const b = await bookAsGuest(ps.stack, { itemId: yacht.id, ...soon(minutes) });
  const charge = fake.intentFor(b.id, 'automatic')!;
  // Nothing is asked of the card for the deposit at booking: the payment saves it for later.
  expect(b.body.deposit).toMatchObject({ provider: 'stripe', status: 'pending', amount: 2_000_000 });
  expect(b.body.deposit.clientSecret).toBeUndefined();
  expect(fake.intentFor(b.id, 'manual')).toBeUndefined();
  expect(charge.setup_future_usage).toBe('off_session');

  fake.pay(charge.id);
  expect((await fake.deliver(webhookUrl, fake.event('payment_intent.succeeded', charge))).status).toBe(200);
  await waitForStatus(ps.stack, b.id, b.q, 'concierge_assigned');
  await eventually(
    async () =>
      (await call(ps.stack, 'GET', `/v1/bookings/${b.id}${b.q}`)).body.deposit?.status === 'authorized',
    10_000,
    100,
  );
  const deposit = fake.intentFor(b.id, 'manual')!;
  expect(deposit).toMatchObject({
    amount: 2_000_000,
    capture_method: 'manual',
    currency: 'eur',
    status: 'requires_capture',
    customer: charge.customer,
    payment_method: charge.payment_method,
  });
  // Stripe's own word on the hold changes nothing more.
  const held = fake.event('payment_intent.amount_capturable_updated', deposit);
  expect((await fake.deliver(webhookUrl, held)).status).toBe(200);
  return { ...b, charge, deposit };
}

describe('security deposits', () => {
  it('holds a yacht deposit by manual capture and lets staff capture part of it once the guest checked in', async () => {
    const b = await paidYachtBooking(30);
    const capture = (body: unknown, auth?: string) =>
      call(ps.stack, 'POST', `/v1/bookings/${b.id}/deposit/capture${auth ? '' : b.q}`, { token: auth, body });

    expect((await capture({ amount: 100_000 })).status).toBe(403);
    const early = await capture({ amount: 100_000 }, admin);
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/concierge_assigned/);

    const checkIn = await call(ps.stack, 'POST', `/v1/bookings/${b.id}/status`, {
      token: admin,
      body: { status: 'in_progress' },
    });
    expect(checkIn.status).toBe(200);
    expect((await capture({ amount: 2_000_001 }, admin)).status).toBe(422);
    expect((await capture({ amount: 0 }, admin)).status).toBe(400);
    expect(fake.intents.get(b.deposit.id)!.status).toBe('requires_capture');

    const captured = await capture({ amount: 500_000, reason: 'scratched tender' }, admin);
    expect(captured.status).toBe(200);
    expect(captured.body.deposit).toEqual({
      provider: 'stripe',
      status: 'succeeded',
      amount: 2_000_000,
      captured: 500_000,
    });
    expect(fake.intents.get(b.deposit.id)).toMatchObject({ status: 'succeeded', amount_received: 500_000 });

    // Stripe's own word on the capture, replayed, changes nothing; a second capture finds nothing held.
    const succeeded = fake.event('payment_intent.succeeded', fake.intents.get(b.deposit.id)!);
    for (let i = 0; i < 3; i++) expect((await fake.deliver(webhookUrl, succeeded)).status).toBe(200);
    expect((await capture({}, admin)).status).toBe(409);
    const after = await call(ps.stack, 'GET', `/v1/bookings/${b.id}`, { token: admin });
    expect(after.body).toMatchObject({
      deposit: { status: 'succeeded', captured: 500_000 },
      paid: b.charge.amount,
    });

    const history = await call(ps.stack, 'GET', `/v1/bookings/${b.id}/history`, { token: admin });
    const deposits = history.body.items.filter((e: { type?: string }) => e.type === 'deposit');
    expect(deposits.at(-1)).toMatchObject({
      actor: { role: 'admin', id: 'deposit-admin' },
      detail: 'scratched tender',
      providerRef: b.deposit.id,
    });
    expect(deposits.map((e: { status: string; amount: number }) => [e.status, e.amount])).toEqual([
      ['pending', 2_000_000],
      ['authorized', 2_000_000],
      ['succeeded', 500_000],
    ]);
  });

  it("releases a held deposit at the staff's request and cancels its authorisation", async () => {
    const b = await paidYachtBooking(35);
    const release = () =>
      call(ps.stack, 'POST', `/v1/bookings/${b.id}/deposit/release`, {
        token: admin,
        body: { reason: 'all fine' },
      });
    const released = await release();
    expect(released.status).toBe(200);
    expect(released.body.deposit).toMatchObject({ status: 'cancelled', amount: 2_000_000 });
    expect(fake.intents.get(b.deposit.id)!.status).toBe('canceled');
    expect((await release()).status).toBe(409);
    expect(fake.intents.get(b.charge.id)!.status).toBe('succeeded');
  });

  it('lets one of two racing captures win, answers the other 409, and ends where the PaymentIntent is', async () => {
    const b = await paidYachtBooking(40);
    const checkIn = await call(ps.stack, 'POST', `/v1/bookings/${b.id}/status`, {
      token: admin,
      body: { status: 'in_progress' },
    });
    expect(checkIn.status).toBe(200);
    const concierge = await token({ role: 'concierge', sub: 'conc-antibes', location: 'antibes' });
    const [first, second] = await Promise.all([
      call(ps.stack, 'POST', `/v1/bookings/${b.id}/deposit/capture`, {
        token: admin,
        body: { amount: 300_000 },
      }),
      call(ps.stack, 'POST', `/v1/bookings/${b.id}/deposit/capture`, {
        token: concierge,
        body: { amount: 700_000 },
      }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const taken = fake.intents.get(b.deposit.id)!.amount_received;
    expect([300_000, 700_000]).toContain(taken);
    const after = await call(ps.stack, 'GET', `/v1/bookings/${b.id}`, { token: admin });
    expect(after.body.deposit).toMatchObject({ status: 'succeeded', captured: taken });
    const release = await call(ps.stack, 'POST', `/v1/bookings/${b.id}/deposit/release`, {
      token: admin,
      body: {},
    });
    expect(release.status).toBe(409);
  });

  it('asks for a deposit only where the policy data says so', async () => {
    const car = await createItem(ps.stack, { rate: { unit: 'day', amount: 100_000 } });
    const cheap = await bookAsGuest(ps.stack, { itemId: car.id, ...soon(600, 5) });
    expect(cheap.body.deposit).toBeUndefined();
    expect(fake.intentFor(cheap.id, 'manual')).toBeUndefined();

    await ps.pool.query(
      "UPDATE booking.deposit_policies SET min_total = 0, amount = 123400 WHERE item_type = 'car' AND currency = 'EUR'",
    );
    const now = await bookAsGuest(ps.stack, { itemId: car.id, ...soon(600, 8) });
    expect(now.body.deposit).toMatchObject({ amount: 123_400, status: 'pending' });
    // Asked for at its lead time, with the card the payment saves.
    expect(fake.intentFor(now.id, 'manual')).toBeUndefined();
    expect(fake.intentFor(now.id, 'automatic')).toMatchObject({ setup_future_usage: 'off_session' });
    expect(fake.intentFor(cheap.id, 'automatic')).toMatchObject({ setup_future_usage: null, customer: null });
  });
});
