/**
 * Security deposits authorised at their lead time through Stripe's local stand-in and the
 * official client: at booking the charge saves the guest's card (a customer, setup_future_usage
 * off_session) and no deposit is asked for; at start - DEPOSIT_AUTH_LEAD_HOURS (1 h here) the
 * `deposit.<booking>` job confirms a manual-capture PaymentIntent off-session with that card. A
 * refusal marks the deposit declined with payment.deposit_declined; staff ask again; dates moved
 * re-authorise; a cancelled booking voids the hold and drops the job; a job Redis lost is
 * re-created from Postgres by the deposit sweep.
 */
import { Jobs } from '@midas/jobs';
import { createLogger } from '@midas/observability';
import { call, createItem, eventually, token } from '../harness';
import { FakeStripe, type FakeIntent } from '../support/fake-stripe';
import {
  bookAsGuest,
  type Json,
  outboxData,
  type ProviderStack,
  startStripeStack,
  waitForStatus,
} from '../support/payment-stack';
import { DEPOSITS_QUEUE, depositJobId } from '../../src/jobs/booking-jobs';

const LEAD_MS = 3_600_000;
let fake: FakeStripe;
let ps: ProviderStack<FakeStripe>;
let webhookUrl: string;
let admin: string;
let jobs: Jobs;

beforeAll(async () => {
  ps = await startStripeStack(
    {
      DEPOSIT_AUTH_LEAD_HOURS: '1',
    },
    { scheduler: { depositSweepEveryMs: 500, watchdogEveryMs: 1000 } },
  );
  ({ fake, webhookUrl } = ps);
  admin = await token({ role: 'admin', sub: 'deposit-admin' });
  jobs = await Jobs.create({
    redisUrl: ps.stack.env.cfg.REDIS_URL,
    namespace: ps.stack.env.namespace,
    logger: createLogger('deposit-lead-test', 'silent'),
  });
}, 120_000);
afterAll(async () => {
  await jobs?.close();
  await ps?.stop();
});

/** A slot of a day whose start is `ms` from now (to the second). */
function startingIn(ms: number) {
  const start = new Date(Date.now() + ms);
  start.setUTCMilliseconds(0);
  return { start: start.toISOString(), end: new Date(start.getTime() + 86_400_000).toISOString() };
}

const view = async (b: { id: string; q: string }): Promise<Json> =>
  (await call(ps.stack, 'GET', `/v1/bookings/${b.id}${b.q}`)).body;

/** A yacht (its policy asks a 20,000 EUR deposit) booked and paid, the charge saving the card. */
async function paidYacht(slot: { start: string; end: string }) {
  const yacht = await createItem(ps.stack, {
    type: 'yacht',
    location: 'antibes',
    timezone: 'Europe/Paris',
    rate: { unit: 'day', amount: 900_000 },
  });
  const b = await bookAsGuest(ps.stack, { itemId: yacht.id, ...slot });
  const charge = fake.intentFor(b.id, 'automatic')!;
  expect(charge.setup_future_usage).toBe('off_session');
  expect(fake.customers.get(charge.customer!)).toMatchObject({ metadata: { booking_id: b.id } });
  expect(fake.intentFor(b.id, 'manual')).toBeUndefined();
  fake.pay(charge.id);
  expect((await fake.deliver(webhookUrl, fake.event('payment_intent.succeeded', charge))).status).toBe(200);
  await waitForStatus(ps.stack, b.id, b.q, 'confirmed');
  return { ...b, charge };
}

async function depositStatus(
  b: { id: string; q: string },
  status: string,
  timeoutMs = 20_000,
): Promise<Json> {
  let last: Json = {};
  await eventually(
    async () => {
      last = await view(b);
      return last.deposit?.status === status;
    },
    timeoutMs,
    100,
  );
  return last;
}

function heldBy(intent: FakeIntent | undefined, charge: FakeIntent) {
  expect(intent).toMatchObject({
    capture_method: 'manual',
    status: 'requires_capture',
    amount: 2_000_000,
    customer: charge.customer,
    payment_method: charge.payment_method,
  });
}

describe('deposits at their lead time', () => {
  it('asks nothing of the card at booking and authorises the deposit off-session at start - lead, with the card the payment saved', async () => {
    // Time enough to book and pay first, on a busy machine too.
    const slot = startingIn(LEAD_MS + 40_000);
    const authorizeAt = Date.parse(slot.start) - LEAD_MS;
    const b = await paidYacht(slot);
    const before = await view(b);
    expect(before.deposit).toEqual({
      provider: 'stripe',
      status: 'pending',
      amount: 2_000_000,
      authorizeAt: new Date(authorizeAt).toISOString(),
    });
    expect(before.depositStatus).toBe('pending');
    expect(await jobs.queue(DEPOSITS_QUEUE).getJob(depositJobId(b.id))).toBeDefined();
    // Paid and confirmed: still nothing asked of the card.
    expect(fake.intentsFor(b.id, 'manual')).toEqual([]);

    const held = await depositStatus(b, 'authorized', 60_000);
    expect(held.depositStatus).toBe('authorized');
    const [deposit, ...others] = fake.intentsFor(b.id, 'manual');
    expect(others).toEqual([]);
    heldBy(deposit, b.charge);
    // Not before its moment (Stripe stamps in seconds).
    expect(deposit!.created * 1000).toBeGreaterThanOrEqual(authorizeAt - 1000);
    const create = fake.requests.find(
      (r) =>
        r.path === '/v1/payment_intents' &&
        r.idempotencyKey?.includes(`booking-${b.id}-payment-`) &&
        r.idempotencyKey.endsWith('-authorize-0'),
    );
    expect(create).toBeDefined();
    const history = await call(ps.stack, 'GET', `/v1/bookings/${b.id}/history`, { token: admin });
    const steps = history.body.items.filter((e: { type?: string }) => e.type === 'deposit');
    expect(steps.map((e: { status: string }) => e.status)).toEqual(['pending', 'authorized']);
  }, 120_000);

  it('authorises at once a booking paid inside the lead time', async () => {
    const b = await paidYacht(startingIn(30 * 60_000));
    await depositStatus(b, 'authorized');
    heldBy(fake.intentFor(b.id, 'manual'), b.charge);
  });

  it('marks a refused deposit declined, publishes payment.deposit_declined once, and lets staff ask again once the card works', async () => {
    fake.refuseOffSession = 'card_declined';
    const b = await paidYacht(startingIn(20 * 60_000));
    const declined = await depositStatus(b, 'declined');
    expect(declined.depositStatus).toBe('declined');
    const first = fake.intentFor(b.id, 'manual')!;
    expect(first.status).toBe('requires_payment_method');
    expect(first.last_payment_error).toMatchObject({
      code: 'card_declined',
      decline_code: 'insufficient_funds',
    });
    // The guest can complete the refused attempt themselves.
    expect(declined.deposit.clientSecret).toBe(first.client_secret);
    await eventually(
      async () => (await outboxData(ps.pool, 'payment.deposit_declined', b.id)).length === 1,
      10_000,
      100,
    );
    expect((await outboxData(ps.pool, 'payment.deposit_declined', b.id))[0]).toMatchObject({
      bookingId: b.id,
      provider: 'stripe',
      amount: 2_000_000,
      code: 'card_declined',
      reason: 'Your card has insufficient funds.',
      attempts: 1,
      guestCanComplete: true,
    });
    // The sweep does not ask again by itself.
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.intentsFor(b.id, 'manual')).toHaveLength(1);
    expect(await outboxData(ps.pool, 'payment.deposit_declined', b.id)).toHaveLength(1);

    const retry = (auth?: string) =>
      call(ps.stack, 'POST', `/v1/bookings/${b.id}/deposit/authorize${auth ? '' : b.q}`, { token: auth });
    expect((await retry()).status).toBe(403);
    // Still refused: a new attempt under its own key, declined again, told again.
    const again = await retry(admin);
    expect(again.status).toBe(200);
    expect(again.body.depositStatus).toBe('declined');
    expect(fake.intentsFor(b.id, 'manual')).toHaveLength(2);
    expect(await outboxData(ps.pool, 'payment.deposit_declined', b.id)).toHaveLength(2);

    fake.refuseOffSession = undefined;
    const concierge = await token({ role: 'concierge', sub: 'conc-antibes-dep', location: 'antibes' });
    const held = await retry(concierge);
    expect(held.status).toBe(200);
    expect(held.body.deposit).toMatchObject({ status: 'authorized', amount: 2_000_000 });
    expect(held.body.deposit.clientSecret).toBeUndefined();
    const attempts = fake.intentsFor(b.id, 'manual');
    expect(attempts).toHaveLength(3);
    heldBy(attempts[2], b.charge);
    const keys = fake.requests
      .filter(
        (r) =>
          // A job and the sweep asking at once send the same key: Stripe answers the second with the first.
          !r.replayed &&
          r.path === '/v1/payment_intents' &&
          r.idempotencyKey?.includes(`booking-${b.id}-payment-`) &&
          /-authorize-\d$/.test(r.idempotencyKey),
      )
      .map((r) => r.idempotencyKey!.slice(-1));
    expect(keys).toEqual(['0', '1', '2']);
    expect((await retry(admin)).status).toBe(409);
  });

  it('lets the guest complete a deposit their bank wanted them present for, through its client secret', async () => {
    fake.refuseOffSession = 'authentication_required';
    const b = await paidYacht(startingIn(25 * 60_000));
    try {
      const declined = await depositStatus(b, 'declined');
      const attempt = fake.intentFor(b.id, 'manual')!;
      expect(attempt.last_payment_error).toMatchObject({ code: 'authentication_required' });
      expect(declined.deposit.clientSecret).toBe(attempt.client_secret);
      const [event] = await outboxData(ps.pool, 'payment.deposit_declined', b.id);
      expect(event).toMatchObject({ code: 'authentication_required', guestCanComplete: true });
    } finally {
      fake.refuseOffSession = undefined;
    }
    // The guest confirms it on the booking page (3-D Secure): Stripe tells us it is held.
    const attempt = fake.pay(fake.intentFor(b.id, 'manual')!.id);
    const held = fake.event('payment_intent.amount_capturable_updated', attempt);
    expect((await fake.deliver(webhookUrl, held)).status).toBe(200);
    const after = await depositStatus(b, 'authorized');
    expect(after.deposit.clientSecret).toBeUndefined();
  });

  it('voids the hold when the dates move and authorises again for the new dates, at once inside the lead, later outside it', async () => {
    const b = await paidYacht(startingIn(40 * 60_000));
    await depositStatus(b, 'authorized');
    const first = fake.intentFor(b.id, 'manual')!;

    // Ten minutes later, still inside the lead: voided and held again for the new dates.
    const near = startingIn(50 * 60_000);
    const moved = await call(ps.stack, 'PATCH', `/v1/bookings/${b.id}${b.q}`, { body: near });
    expect(moved.status).toBe(200);
    expect(fake.intents.get(first.id)!.status).toBe('canceled');
    await eventually(
      async () => fake.intentsFor(b.id, 'manual').some((pi) => pi.status === 'requires_capture'),
      10_000,
      100,
    );
    const second = fake.intentsFor(b.id, 'manual').find((pi) => pi.status === 'requires_capture')!;
    expect(second.id).not.toBe(first.id);
    heldBy(second, b.charge);
    await depositStatus(b, 'authorized');

    // A week later: the hold is voided and the deposit waits for the new start - lead.
    const later = startingIn(7 * 86_400_000);
    const away = await call(ps.stack, 'PATCH', `/v1/bookings/${b.id}${b.q}`, { body: later });
    expect(away.status).toBe(200);
    expect(fake.intents.get(second.id)!.status).toBe('canceled');
    const waiting = await depositStatus(b, 'pending');
    expect(waiting.deposit.authorizeAt).toBe(new Date(Date.parse(later.start) - LEAD_MS).toISOString());
    const job = await jobs.queue(DEPOSITS_QUEUE).getJob(depositJobId(b.id));
    expect(job).toBeDefined();
    expect(job!.timestamp + (job!.opts.delay ?? 0)).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(fake.intentsFor(b.id, 'manual').filter((pi) => pi.status === 'requires_capture')).toEqual([]);
  });

  it('voids the hold and drops the job when the booking is cancelled', async () => {
    const held = await paidYacht(startingIn(45 * 60_000));
    await depositStatus(held, 'authorized');
    const waiting = await paidYacht(startingIn(3 * 86_400_000));
    for (const b of [held, waiting]) {
      const cancelled = await call(ps.stack, 'POST', `/v1/bookings/${b.id}/cancel${b.q}`, {
        body: { reason: 'plans changed' },
      });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.deposit.status).toBe('cancelled');
      expect(await jobs.queue(DEPOSITS_QUEUE).getJob(depositJobId(b.id))).toBeUndefined();
    }
    expect(fake.intentFor(held.id, 'manual')!.status).toBe('canceled');
    expect(fake.intentsFor(waiting.id, 'manual')).toEqual([]);
  });

  it('re-creates from Postgres a deposit job Redis lost, and the deposit is still authorised at its moment', async () => {
    const slot = startingIn(LEAD_MS + 8_000);
    const b = await paidYacht(slot);
    const queue = jobs.queue(DEPOSITS_QUEUE);
    await eventually(async () => (await queue.getJob(depositJobId(b.id))) !== undefined, 5000, 50);
    await queue.remove(depositJobId(b.id));
    expect(await queue.getJob(depositJobId(b.id))).toBeUndefined();
    // The sweep (every 500 ms here) puts it back, delayed to the same moment.
    await eventually(async () => (await queue.getJob(depositJobId(b.id))) !== undefined, 5000, 50);
    const job = (await queue.getJob(depositJobId(b.id)))!;
    expect(job.timestamp + (job.opts.delay ?? 0)).toBeGreaterThanOrEqual(
      Date.parse(slot.start) - LEAD_MS - 50,
    );
    expect(fake.intentsFor(b.id, 'manual')).toEqual([]);
    await depositStatus(b, 'authorized', 30_000);
    expect(fake.intentsFor(b.id, 'manual')).toHaveLength(1);
  }, 60_000);
});
