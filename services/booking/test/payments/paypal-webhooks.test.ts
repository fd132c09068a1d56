/**
 * PayPal webhooks with the official server SDK against a local PayPal-compatible server that also
 * answers verify-webhook-signature: deliveries PayPal does not vouch for are 400 and change
 * nothing, a capture held PENDING settles only when its webhook says so (replays and duplicates
 * have one effect), and a capture that completes after the hold lapsed follows the late-payment
 * rule: the slot taken meanwhile, the money goes back in full.
 */
import { at, call, createItem, eventually, token } from '../harness';
import { FakePayPal, PAYPAL_WEBHOOK_ID, type PayPalWebhookEvent } from '../support/fake-paypal';
import {
  bookAsGuest,
  outboxCount,
  outboxData,
  type ProviderStack,
  shuffled,
  startPayPalStack,
  waitForStatus,
} from '../support/payment-stack';

let fake: FakePayPal;
let ps: ProviderStack<FakePayPal>;
let webhookUrl: string;

beforeAll(async () => {
  ps = await startPayPalStack({
    PAYPAL_WEBHOOK_ID,
    HOLD_TTL_SECONDS: '10',
  });
  fake = ps.fake;
  webhookUrl = `${ps.stack.base}/v1/payments/paypal/webhook`;
}, 120_000);
afterAll(async () => {
  await ps?.stop();
});
beforeEach(() => {
  fake.captureOutcome = 'COMPLETED';
});

async function paymentRows(bookingId: string) {
  const { rows } = await ps.pool.query(
    'SELECT kind, purpose, status, amount::int AS amount FROM booking.payments WHERE booking_id = $1 ORDER BY created_at',
    [bookingId],
  );
  return rows;
}

async function seenEvents(ids: string[]): Promise<number> {
  const { rows } = await ps.pool.query(
    "SELECT count(*)::int AS n FROM booking.webhook_events WHERE provider = 'paypal' AND event_id = ANY($1)",
    [ids],
  );
  return rows[0].n as number;
}

/** A guest booking whose approved order was captured while PayPal held the capture PENDING. */
async function pendingCapture(days: number) {
  const item = await createItem(ps.stack);
  const slot = { itemId: item.id, start: at(days), end: at(days + 1) };
  const b = await bookAsGuest(ps.stack, slot);
  const order = fake.orderFor(b.id)!;
  fake.approve(order.id);
  fake.captureOutcome = 'PENDING';
  const captured = await call(ps.stack, 'POST', `/v1/payments/paypal/${b.id}/capture${b.q}`);
  expect(captured.status).toBe(200);
  expect(captured.body).toMatchObject({ status: 'pending_payment', paid: 0 });
  const capture = fake.captureOf(order.id)!;
  expect(capture.status).toBe('PENDING');
  return { ...b, slot, order, capture, total: b.body.price.total as number };
}

describe('PayPal webhooks', () => {
  it('refunds in full a capture that completes after the hold lapsed when the slot was taken meanwhile', async () => {
    // First in the file, so the only hold to lapse meanwhile is this booking's.
    const handled = async () =>
      (await ps.pool.query("SELECT count(*)::int AS n FROM booking.inbox WHERE type = 'hold.expired'"))
        .rows[0].n as number;
    const lapsed = await handled();
    const b = await pendingCapture(16);
    // The hold lapses with the capture still pending: PayPal cannot take it back, so the booking waits.
    await eventually(async () => (await handled()) > lapsed, 40_000, 250);
    expect((await call(ps.stack, 'GET', `/v1/bookings/${b.id}${b.q}`)).body.status).toBe('pending_payment');
    const other = await call(ps.stack, 'POST', '/v1/bookings', {
      token: await token({ role: 'customer', sub: 'paypal-late-other' }),
      body: b.slot,
    });
    expect(other.status).toBe(201);

    fake.settleCapture(b.capture.id, 'COMPLETED');
    const completed = fake.event('PAYMENT.CAPTURE.COMPLETED', fake.captureOf(b.order.id)!);
    expect((await fake.deliver(webhookUrl, completed)).status).toBe(200);
    const refunded = await waitForStatus(ps.stack, b.id, b.q, 'refunded');
    expect(refunded).toMatchObject({ refunded: b.total, paid: 0 });
    const refunds = fake.refundsOf(b.capture.id);
    expect(refunds).toHaveLength(1);
    expect(Math.round(Number(refunds[0]!.amount.value) * 100)).toBe(b.total);
    expect(await outboxData(ps.pool, 'refund.issued', b.id)).toEqual([
      expect.objectContaining({ amount: b.total, reason: 'late_payment_slot_taken' }),
    ]);

    // PayPal's own word on the refund, replayed, changes nothing more.
    const refundEvent = fake.event('PAYMENT.CAPTURE.REFUNDED', refunds[0]!);
    for (let i = 0; i < 5; i++) expect((await fake.deliver(webhookUrl, refundEvent)).status).toBe(200);
    expect(fake.refundsOf(b.capture.id)).toHaveLength(1);
    expect((await call(ps.stack, 'GET', `/v1/bookings/${b.id}${b.q}`)).body).toMatchObject({
      status: 'refunded',
      refunded: b.total,
    });
    // The other guest keeps the slot.
    const theirs = await call(ps.stack, 'GET', `/v1/bookings/${other.body.id}`, {
      token: await token({ role: 'customer', sub: 'paypal-late-other' }),
    });
    expect(theirs.body.status).toBe('pending_payment');
  }, 90_000);

  it('refuses deliveries PayPal does not vouch for with a 400 problem and changes nothing', async () => {
    const b = await pendingCapture(10);
    fake.settleCapture(b.capture.id, 'COMPLETED');
    const event = fake.event('PAYMENT.CAPTURE.COMPLETED', b.capture);
    const before = await paymentRows(b.id);
    const failures = fake.verifications.filter((v) => v === 'FAILURE').length;

    const altered = await fake.deliver(webhookUrl, event, {
      body: JSON.stringify({ ...event, summary: 'altered on the way' }),
    });
    const forOtherWebhook = await fake.deliver(webhookUrl, event, { webhookId: 'WH-SOMEONE-ELSE' });
    const forged = await fake.deliver(webhookUrl, event, {
      headers: { 'paypal-transmission-sig': Buffer.from('forged').toString('base64') },
    });
    const unsigned = await fake.deliver(webhookUrl, event, { headers: { 'paypal-transmission-sig': '' } });
    const notJson = await fake.deliver(webhookUrl, event, { body: 'not json' });

    for (const reply of [altered, forOtherWebhook, forged, unsigned, notJson]) {
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ status: 400, type: expect.any(String), title: expect.any(String) });
    }
    expect(forged.body.detail).toMatch(/did not verify/);
    expect(unsigned.body.errors).toEqual([expect.objectContaining({ field: 'paypal-transmission-sig' })]);
    // Three reached PayPal's check and failed it; the unsigned and malformed ones never got that far.
    expect(fake.verifications.filter((v) => v === 'FAILURE').length).toBe(failures + 3);
    expect(await paymentRows(b.id)).toEqual(before);
    expect((await call(ps.stack, 'GET', `/v1/bookings/${b.id}${b.q}`)).body.status).toBe('pending_payment');
    expect(await seenEvents([event.id])).toBe(0);
    expect(await outboxCount(ps.pool, 'payment.succeeded', b.id)).toBe(0);

    // The genuine delivery of the same event still settles it.
    expect((await fake.deliver(webhookUrl, event)).status).toBe(200);
    await waitForStatus(ps.stack, b.id, b.q, 'confirmed');
  });

  it('keeps a PENDING capture pending until its webhook settles it, and applies each event once when replayed 5 times', async () => {
    const b = await pendingCapture(12);
    const pending = fake.event('PAYMENT.CAPTURE.PENDING', b.capture);
    const first = await fake.deliver(webhookUrl, pending);
    expect(first).toMatchObject({ status: 200, body: { received: true, duplicate: false } });
    expect(await paymentRows(b.id)).toEqual([
      { kind: 'charge', purpose: 'booking', status: 'pending', amount: b.total },
    ]);
    expect((await call(ps.stack, 'GET', `/v1/bookings/${b.id}${b.q}`)).body.status).toBe('pending_payment');

    fake.settleCapture(b.capture.id, 'COMPLETED');
    const completed = fake.event('PAYMENT.CAPTURE.COMPLETED', fake.captureOf(b.order.id)!);
    // Five copies of each, racing, in a shuffled order: the stale PENDING ones change nothing.
    const burst = shuffled(
      [...Array(5).fill(completed), ...Array(4).fill(pending)] as PayPalWebhookEvent[],
      11,
    );
    const answers = await Promise.all(burst.map((e) => fake.deliver(webhookUrl, e)));
    expect(answers.map((a) => a.status)).toEqual(Array(9).fill(200));

    const confirmed = await waitForStatus(ps.stack, b.id, b.q, 'confirmed');
    expect(confirmed.paid).toBe(b.total);
    expect(await paymentRows(b.id)).toEqual([
      { kind: 'charge', purpose: 'booking', status: 'succeeded', amount: b.total },
    ]);
    expect(await outboxCount(ps.pool, 'payment.succeeded', b.id)).toBe(1);
    const history = await call(ps.stack, 'GET', `/v1/bookings/${b.id}/history${b.q}`);
    const confirmations = history.body.items.filter(
      (e: { kind: string; to?: string }) => e.kind === 'status' && e.to === 'confirmed',
    );
    expect(confirmations).toHaveLength(1);
    expect(await seenEvents([pending.id, completed.id])).toBe(2);
    const again = await fake.deliver(webhookUrl, completed);
    expect(again).toMatchObject({ status: 200, body: { duplicate: true } });
    expect(await outboxCount(ps.pool, 'payment.succeeded', b.id)).toBe(1);
  });

  it('records a DENIED capture once as a failed payment, however often it is delivered', async () => {
    const b = await pendingCapture(14);
    fake.settleCapture(b.capture.id, 'DECLINED');
    const denied = fake.event('PAYMENT.CAPTURE.DENIED', fake.captureOf(b.order.id)!);
    const answers = await Promise.all(Array.from({ length: 5 }, () => fake.deliver(webhookUrl, denied)));
    expect(answers.map((a) => a.status)).toEqual(Array(5).fill(200));
    await eventually(async () => (await outboxCount(ps.pool, 'payment.failed', b.id)) === 1, 10_000, 100);
    expect(await outboxCount(ps.pool, 'payment.failed', b.id)).toBe(1);
    expect(await outboxCount(ps.pool, 'payment.succeeded', b.id)).toBe(0);
    expect((await call(ps.stack, 'GET', `/v1/bookings/${b.id}${b.q}`)).body).toMatchObject({
      status: 'pending_payment',
      paid: 0,
    });
  });
});
