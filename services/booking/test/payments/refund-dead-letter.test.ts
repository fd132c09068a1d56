/**
 * Refunds Stripe marks failed, against Stripe's local stand-in with the official client: each is
 * asked for again under a new idempotency key after its backoff, refunded once when Stripe takes
 * it, and dead-lettered after REFUND_MAX_ATTEMPTS failed attempts: no more automatic attempts,
 * refund.dead_lettered published, counted on /metrics, listed for admins and on their view of the
 * booking, then retried or resolved by staff with the reason recorded.
 */
import { FakeStripe } from '../support/fake-stripe';
import {
  bookAsGuest,
  outboxData,
  type ProviderStack,
  startStripeStack,
  waitForStatus,
} from '../support/payment-stack';
import { at, call, createItem, eventually, token } from '../harness';

const MAX_ATTEMPTS = 3;
let fake: FakeStripe;
let ps: ProviderStack<FakeStripe>;
let webhookUrl: string;
let admin: string;

beforeAll(async () => {
  ps = await startStripeStack(
    {
      REFUND_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    },
    { scheduler: { refundSweepEveryMs: 200, refundRetryBaseMs: 150, refundRetryMaxMs: 400 } },
  );
  ({ fake, webhookUrl } = ps);
  admin = await token({ role: 'admin', sub: 'admin-refunds' });
}, 120_000);
afterAll(async () => {
  await ps?.stop();
});

beforeEach(() => {
  fake.refundMode = 'succeeded';
});

async function cancelledBooking(days: number) {
  const item = await createItem(ps.stack);
  const b = await bookAsGuest(ps.stack, { itemId: item.id, start: at(days), end: at(days + 2) });
  const pi = fake.intentFor(b.id)!;
  fake.pay(pi.id);
  expect((await fake.deliver(webhookUrl, fake.event('payment_intent.succeeded', pi))).status).toBe(200);
  await waitForStatus(ps.stack, b.id, b.q, 'confirmed');
  const cancelled = await call(ps.stack, 'POST', `/v1/bookings/${b.id}/cancel${b.q}`, {
    body: { reason: 'plans changed' },
  });
  expect(cancelled.status).toBe(200);
  return { ...b, pi };
}

async function refundRow(bookingId: string) {
  const { rows } = await ps.pool.query(
    `SELECT id, status, amount::int AS amount, provider_ref AS "providerRef", refund_failures AS failures
       FROM booking.payments WHERE booking_id = $1 AND kind = 'refund'`,
    [bookingId],
  );
  expect(rows).toHaveLength(1);
  return rows[0] as {
    id: string;
    status: string;
    amount: number;
    providerRef: string | null;
    failures: number;
  };
}

async function deadLettered(bookingId: string) {
  await eventually(async () => (await refundRow(bookingId)).status === 'dead_lettered', 20_000, 100);
  return refundRow(bookingId);
}

function keysOf(bookingId: string, refundId: string): string[] {
  return fake.requests
    .filter((r) => r.method === 'POST' && r.path === '/v1/refunds' && !r.replayed)
    .map((r) => r.idempotencyKey!)
    .filter((k) => k.startsWith(`booking-${bookingId}-refund-${refundId}`));
}

async function gauge(name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${ps.stack.booking.port}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

describe('refunds Stripe failed', () => {
  it('asks again under a new idempotency key after a failed refund and refunds exactly once when Stripe takes it', async () => {
    fake.refundMode = 'failed';
    const b = await cancelledBooking(30);
    await eventually(async () => (await refundRow(b.id)).failures >= 1, 10_000, 50);
    fake.refundMode = 'succeeded';

    const refunded = await waitForStatus(ps.stack, b.id, b.q, 'refunded', 20_000);
    const row = await refundRow(b.id);
    expect(row.status).toBe('succeeded');
    expect(row.failures).toBeGreaterThanOrEqual(1);
    expect(row.failures).toBeLessThan(MAX_ATTEMPTS);
    const atStripe = fake.refundsOf(b.pi.id);
    expect(atStripe.filter((r) => r.status === 'succeeded')).toEqual([
      expect.objectContaining({ id: row.providerRef, amount: row.amount }),
    ]);
    expect(atStripe.filter((r) => r.status === 'failed')).toHaveLength(row.failures);
    expect(refunded.refunded).toBe(row.amount);
    // One key per attempt: the first as refunds always had it, then -attempt-2, ...
    const keys = keysOf(b.id, row.id);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys[0]).toBe(`booking-${b.id}-refund-${row.id}`);
    expect(keys[1]).toBe(`booking-${b.id}-refund-${row.id}-attempt-2`);
    expect(await outboxData(ps.pool, 'refund.issued', b.id)).toHaveLength(1);
    expect(await outboxData(ps.pool, 'refund.dead_lettered', b.id)).toHaveLength(0);
  });

  it('dead-letters a refund after REFUND_MAX_ATTEMPTS failed attempts: no more asks, refund.dead_lettered, the metric and the admin views', async () => {
    const before = await gauge('midas_refunds_dead_lettered');
    fake.refundMode = 'failed';
    const b = await cancelledBooking(32);
    const row = await deadLettered(b.id);

    expect(row.failures).toBe(MAX_ATTEMPTS);
    expect(fake.refundsOf(b.pi.id)).toHaveLength(MAX_ATTEMPTS);
    expect(fake.refundsOf(b.pi.id).every((r) => r.status === 'failed')).toBe(true);
    // The sweep leaves it alone from now on.
    await new Promise((r) => setTimeout(r, 1200));
    expect(fake.refundsOf(b.pi.id)).toHaveLength(MAX_ATTEMPTS);
    expect(await refundRow(b.id)).toMatchObject({ status: 'dead_lettered', failures: MAX_ATTEMPTS });

    const [event] = await outboxData(ps.pool, 'refund.dead_lettered', b.id);
    expect(event).toMatchObject({
      bookingId: b.id,
      paymentId: row.id,
      amount: row.amount,
      provider: 'stripe',
      purpose: 'cancellation',
      attempts: MAX_ATTEMPTS,
      lastFailure: 'expired_or_canceled_card',
      status: 'cancelled',
    });
    expect(await outboxData(ps.pool, 'refund.dead_lettered', b.id)).toHaveLength(1);
    expect(await outboxData(ps.pool, 'refund.issued', b.id)).toHaveLength(0);
    expect(await gauge('midas_refunds_dead_lettered')).toBe(before + 1);

    // The booking stays cancelled and the money still counts as owed back.
    const guestView = await call(ps.stack, 'GET', `/v1/bookings/${b.id}${b.q}`);
    expect(guestView.body).toMatchObject({ status: 'cancelled', refunded: row.amount });
    expect(guestView.body.deadLetteredRefunds).toBeUndefined();
    const adminView = await call(ps.stack, 'GET', `/v1/bookings/${b.id}`, { token: admin });
    expect(adminView.body.deadLetteredRefunds).toEqual([
      expect.objectContaining({ id: row.id, status: 'dead_lettered', failedAttempts: MAX_ATTEMPTS }),
    ]);

    const list = await call(ps.stack, 'GET', '/v1/payments/refunds?status=dead_lettered', { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: row.id,
          bookingId: b.id,
          status: 'dead_lettered',
          amount: row.amount,
          currency: 'EUR',
          failedAttempts: MAX_ATTEMPTS,
          lastFailure: expect.stringContaining('expired_or_canceled_card'),
        }),
      ]),
    );
    expect(list.body.items.every((r: { status: string }) => r.status === 'dead_lettered')).toBe(true);

    const history = await call(ps.stack, 'GET', `/v1/bookings/${b.id}/history`, { token: admin });
    expect(history.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'payment', type: 'refund', status: 'dead_lettered' }),
        expect.objectContaining({ kind: 'payment', type: 'refund', status: 'attempt_failed' }),
      ]),
    );
  });

  it('counts a replayed failure webhook of one attempt once', async () => {
    fake.refundMode = 'pending';
    const b = await cancelledBooking(34);
    const [first] = fake.refundsOf(b.pi.id);
    fake.settleRefund(first!.id, 'failed');
    // The next attempt (after its backoff) goes through.
    fake.refundMode = 'succeeded';
    const event = fake.event('charge.refund.updated', { ...first!, object: 'refund' });
    for (let i = 0; i < 5; i++) {
      expect((await fake.deliver(webhookUrl, { ...event, id: `${event.id}_${i}` })).status).toBe(200);
    }
    await waitForStatus(ps.stack, b.id, b.q, 'refunded', 20_000);
    expect(await refundRow(b.id)).toMatchObject({ status: 'succeeded', failures: 1 });
    expect(fake.refundsOf(b.pi.id).map((r) => r.status)).toEqual(['failed', 'succeeded']);
    expect(await outboxData(ps.pool, 'refund.issued', b.id)).toHaveLength(1);
  });
});

describe('staff and a dead-lettered refund', () => {
  it('retries it by hand with the reason recorded, and the booking is refunded when Stripe takes it', async () => {
    fake.refundMode = 'failed';
    const b = await cancelledBooking(36);
    const row = await deadLettered(b.id);
    fake.refundMode = 'succeeded';

    const retried = await call(ps.stack, 'POST', `/v1/payments/refunds/${row.id}/retry`, {
      token: admin,
      body: { reason: 'guest sent a new card' },
    });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: row.id, status: 'succeeded' });
    await waitForStatus(ps.stack, b.id, b.q, 'refunded');
    expect(fake.refundsOf(b.pi.id).filter((r) => r.status === 'succeeded')).toHaveLength(1);
    expect(keysOf(b.id, row.id)).toContain(`booking-${b.id}-refund-${row.id}-attempt-${MAX_ATTEMPTS + 1}`);
    const history = await call(ps.stack, 'GET', `/v1/bookings/${b.id}/history`, { token: admin });
    expect(history.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'payment',
          status: 'pending',
          detail: 'retried by staff: guest sent a new card',
          actor: { role: 'admin', id: 'admin-refunds' },
        }),
      ]),
    );
    expect(await outboxData(ps.pool, 'refund.issued', b.id)).toHaveLength(1);

    const again = await call(ps.stack, 'POST', `/v1/payments/refunds/${row.id}/retry`, {
      token: admin,
      body: { reason: 'twice' },
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('refund_not_dead_lettered');
  });

  it('dead-letters it again when the retry by hand fails too, telling the admins a second time', async () => {
    fake.refundMode = 'failed';
    const b = await cancelledBooking(38);
    const row = await deadLettered(b.id);
    const retried = await call(ps.stack, 'POST', `/v1/payments/refunds/${row.id}/retry`, {
      token: admin,
      body: { reason: 'one more go' },
    });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'dead_lettered', failedAttempts: MAX_ATTEMPTS + 1 });
    expect(fake.refundsOf(b.pi.id)).toHaveLength(MAX_ATTEMPTS + 1);
    expect(await outboxData(ps.pool, 'refund.dead_lettered', b.id)).toHaveLength(2);
  });

  it('resolves it as refunded elsewhere: the refund is issued and the booking refunded, Stripe not asked', async () => {
    fake.refundMode = 'failed';
    const b = await cancelledBooking(40);
    const row = await deadLettered(b.id);
    const asked = fake.refundsOf(b.pi.id).length;

    const resolved = await call(ps.stack, 'POST', `/v1/payments/refunds/${row.id}/resolve`, {
      token: admin,
      body: { outcome: 'refunded_elsewhere', reason: 'bank transfer ref 4411' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ id: row.id, status: 'succeeded' });
    const booking = await waitForStatus(ps.stack, b.id, b.q, 'refunded');
    expect(booking.refunded).toBe(row.amount);
    expect(fake.refundsOf(b.pi.id)).toHaveLength(asked);
    expect(await outboxData(ps.pool, 'refund.issued', b.id)).toEqual([
      expect.objectContaining({ amount: row.amount, paymentId: row.id }),
    ]);
    const history = await call(ps.stack, 'GET', `/v1/bookings/${b.id}/history`, { token: admin });
    expect(history.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'payment',
          status: 'succeeded',
          detail: 'refunded elsewhere by staff: bank transfer ref 4411',
        }),
      ]),
    );
  });

  it('resolves it as written off: no longer owed, the booking stays cancelled, and a second resolution is 409', async () => {
    fake.refundMode = 'failed';
    const b = await cancelledBooking(42);
    const row = await deadLettered(b.id);

    const resolved = await call(ps.stack, 'POST', `/v1/payments/refunds/${row.id}/resolve`, {
      token: admin,
      body: { outcome: 'written_off', reason: 'guest waived it' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'cancelled' });
    const view = await call(ps.stack, 'GET', `/v1/bookings/${b.id}`, { token: admin });
    expect(view.body).toMatchObject({ status: 'cancelled', refunded: 0 });
    expect(view.body.deadLetteredRefunds).toBeUndefined();

    const twice = await call(ps.stack, 'POST', `/v1/payments/refunds/${row.id}/resolve`, {
      token: admin,
      body: { outcome: 'refunded_elsewhere', reason: 'changed my mind' },
    });
    expect(twice.status).toBe(409);
    expect(await outboxData(ps.pool, 'refund.issued', b.id)).toHaveLength(0);
  });

  it('refuses bad input, unknown refunds and callers who are not admins, changing nothing', async () => {
    fake.refundMode = 'failed';
    const b = await cancelledBooking(44);
    const row = await deadLettered(b.id);
    const concierge = await token({ role: 'concierge', sub: 'c-1', location: 'Monaco' });
    const customer = await token({ role: 'customer', sub: 'cust-1' });
    const path = `/v1/payments/refunds/${row.id}`;

    const cases: [string, string, { token?: string; body?: unknown }, number][] = [
      ['POST', `${path}/retry`, { token: admin, body: {} }, 400],
      ['POST', `${path}/retry`, { token: admin, body: { reason: '   ' } }, 400],
      ['POST', `${path}/retry`, { token: admin, body: { reason: 'x'.repeat(501) } }, 400],
      ['POST', `${path}/retry`, { token: admin, body: { reason: 'ok', extra: 1 } }, 400],
      ['POST', `${path}/resolve`, { token: admin, body: { outcome: 'refunded', reason: 'ok' } }, 400],
      ['POST', `${path}/resolve`, { token: admin, body: { outcome: 'written_off' } }, 400],
      ['POST', '/v1/payments/refunds/not-a-uuid/retry', { token: admin, body: { reason: 'ok' } }, 400],
      [
        'POST',
        `/v1/payments/refunds/${crypto.randomUUID()}/retry`,
        { token: admin, body: { reason: 'ok' } },
        404,
      ],
      [
        'POST',
        `/v1/payments/refunds/${crypto.randomUUID()}/resolve`,
        { token: admin, body: { outcome: 'written_off', reason: 'ok' } },
        404,
      ],
      ['POST', `${path}/retry`, { token: concierge, body: { reason: 'ok' } }, 403],
      ['POST', `${path}/resolve`, { token: customer, body: { outcome: 'written_off', reason: 'ok' } }, 403],
      ['POST', `${path}/retry`, { body: { reason: 'ok' } }, 401],
      ['GET', '/v1/payments/refunds?status=lost', { token: admin }, 400],
      ['GET', '/v1/payments/refunds?limit=0', { token: admin }, 400],
      ['GET', '/v1/payments/refunds?cursor=bm90LWEtY3Vyc29y', { token: admin }, 400],
      ['GET', '/v1/payments/refunds', { token: customer }, 403],
      ['GET', '/v1/payments/refunds', {}, 401],
    ];
    for (const [method, url, opts, status] of cases) {
      const res = await call(ps.stack, method, url, opts);
      expect({ method, url, status: res.status }).toEqual({ method, url, status });
      // A problem document: {type, title, status, detail}.
      expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
    }
    expect(await refundRow(b.id)).toMatchObject({ status: 'dead_lettered', failures: MAX_ATTEMPTS });
    expect(fake.refundsOf(b.pi.id)).toHaveLength(MAX_ATTEMPTS);
  });

  it('pages through refunds with a cursor and filters them by booking', async () => {
    const first = await call(ps.stack, 'GET', '/v1/payments/refunds?limit=2', { token: admin });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await call(
      ps.stack,
      'GET',
      `/v1/payments/refunds?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      { token: admin },
    );
    expect(second.status).toBe(200);
    const ids = [...first.body.items, ...second.body.items].map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const one = first.body.items[0] as { id: string; bookingId: string };
    const byBooking = await call(ps.stack, 'GET', `/v1/payments/refunds?bookingId=${one.bookingId}`, {
      token: admin,
    });
    expect(byBooking.body.items.map((r: { id: string }) => r.id)).toEqual([one.id]);
  });
});
