/**
 * No free upgrades, with the official Stripe client against the local Stripe-compatible server:
 * a change that raises the price answers 202 and waits for its difference with the new slot held
 * beside the booking's own; left unpaid it is withdrawn (shortened back) or lapses with nothing
 * changed and no money out; paid, it applies whole (dates, price, slot, payments, history). Money
 * for a change that lapsed goes back in full.
 */
import { at, call, createItem, eventually, token } from '../harness';
import { FakeStripe } from '../support/fake-stripe';
import {
  bookAsGuest,
  type Json,
  outboxCount,
  type ProviderStack,
  startStripeStack,
  waitForStatus,
} from '../support/payment-stack';

let fake: FakeStripe;
let ps: ProviderStack<FakeStripe>;
let webhookUrl: string;

beforeAll(async () => {
  ps = await startStripeStack(
    {
      // A change waits 10 s for its difference; the sweep that lapses it runs every second.
      HOLD_TTL_SECONDS: '10',
    },
    { scheduler: { sweepEveryMs: 1000 } },
  );
  fake = ps.fake;
  webhookUrl = `${ps.stack.base}/v1/payments/stripe/webhook`;
}, 120_000);
afterAll(async () => {
  await ps?.stop();
});

async function confirmedBooking(days: number) {
  const item = await createItem(ps.stack);
  const slot = { itemId: item.id, start: at(days), end: at(days + 2) };
  const b = await bookAsGuest(ps.stack, slot);
  const pi = fake.intentFor(b.id)!;
  fake.pay(pi.id);
  expect((await fake.deliver(webhookUrl, fake.event('payment_intent.succeeded', pi))).status).toBe(200);
  await waitForStatus(ps.stack, b.id, b.q, 'confirmed');
  return { ...b, item, pi, slot };
}

type Booked = Awaited<ReturnType<typeof confirmedBooking>>;

async function patch(b: Booked, body: Json) {
  return call(ps.stack, 'PATCH', `/v1/bookings/${b.id}${b.q}`, { body });
}

async function booking(b: Booked): Promise<Json> {
  return (await call(ps.stack, 'GET', `/v1/bookings/${b.id}${b.q}`)).body;
}

async function free(itemId: string, start: string, end: string): Promise<boolean> {
  const q = new URLSearchParams({ itemId, start, end });
  return (await call(ps.stack, 'GET', `/v1/availability?${q}`)).body.available as boolean;
}

/** What must not move while a change waits, or after one that never applied. */
async function terms(b: Booked) {
  const now = await booking(b);
  const refunds = await ps.pool.query(
    "SELECT count(*)::int AS n FROM booking.payments WHERE booking_id = $1 AND kind = 'refund'",
    [b.id],
  );
  const modifications = await ps.pool.query(
    'SELECT count(*)::int AS n FROM booking.modifications WHERE booking_id = $1',
    [b.id],
  );
  return {
    status: now.status,
    start: now.start,
    end: now.end,
    addOns: now.addOns,
    price: now.price,
    paid: now.paid,
    refunded: now.refunded,
    refunds: refunds.rows[0].n as number,
    modifications: modifications.rows[0].n as number,
    modifiedEvents: await outboxCount(ps.pool, 'booking.modified', b.id),
    stripeRefunds: [...fake.refunds.values()].filter((r) => r.metadata.booking_id === b.id).length,
  };
}

async function changeStatus(id: string): Promise<string> {
  const { rows } = await ps.pool.query('SELECT status FROM booking.pending_changes WHERE id = $1', [id]);
  return rows[0].status as string;
}

function differenceIntent(b: Booked) {
  return [...fake.intents.values()].find((p) => p.metadata.booking_id === b.id && p.id !== b.pi.id)!;
}

describe('a change that raises the price', () => {
  it('answers 202 with the pending change and its payment, keeps the booking as it was and holds the extra night', async () => {
    const b = await confirmedBooking(60);
    const before = await terms(b);
    const longer = await patch(b, { start: b.slot.start, end: at(63) });

    expect(longer.status).toBe(202);
    const extra = differenceIntent(b);
    expect(longer.body.pendingChange).toMatchObject({
      bookingId: b.id,
      status: 'pending',
      start: b.slot.start,
      end: at(63),
      difference: extra.amount,
    });
    expect(longer.body.pendingChange.price.total).toBe(b.pi.amount + extra.amount);
    expect(longer.body.payment).toMatchObject({
      provider: 'stripe',
      status: 'pending',
      amount: extra.amount,
      clientSecret: extra.client_secret,
    });
    expect(longer.body.booking).toMatchObject({ end: b.slot.end, price: { total: b.pi.amount } });
    expect(await terms(b)).toEqual(before);
    // The booking's own nights stay taken and the extra one is held for it.
    expect(await free(b.item.id, b.slot.start, b.slot.end)).toBe(false);
    expect(await free(b.item.id, at(62, '20:00'), at(63))).toBe(false);
    const rival = await call(ps.stack, 'POST', '/v1/holds', {
      token: await token({ role: 'customer', sub: 'rival-60' }),
      body: { itemId: b.item.id, start: at(62, '20:00'), end: at(63) },
    });
    expect(rival.status).toBe(409);
  });

  it('left unpaid then shortened back: no money goes out, the difference is cancelled and the booking is unchanged', async () => {
    const b = await confirmedBooking(64);
    const before = await terms(b);
    const longer = await patch(b, { start: b.slot.start, end: at(67) });
    expect(longer.status).toBe(202);
    const extra = differenceIntent(b);

    const back = await patch(b, { start: b.slot.start, end: b.slot.end });
    expect(back.status).toBe(200);
    expect(back.body.settlement).toEqual({ kind: 'none', amount: 0 });
    expect(back.body).toMatchObject({ status: 'confirmed', end: b.slot.end, paid: b.pi.amount });
    expect(back.body.price.total).toBe(b.pi.amount);

    expect(fake.intents.get(extra.id)!.status).toBe('canceled');
    expect(await changeStatus(longer.body.pendingChange.id)).toBe('withdrawn');
    const after = await terms(b);
    expect(after).toMatchObject({ ...before, modifications: 1, modifiedEvents: 1 });
    expect(after.stripeRefunds).toBe(0);
    expect(after.refunds).toBe(0);
    // The extra night is free again.
    expect(await free(b.item.id, at(66, '20:00'), at(67))).toBe(true);
  });

  it('left unpaid lapses with its hold: the held night is released, the charge cancelled, nothing changes', async () => {
    const b = await confirmedBooking(70);
    const before = await terms(b);
    const later = await patch(b, { start: at(80), end: at(83) });
    expect(later.status).toBe(202);
    expect(await free(b.item.id, at(80), at(83))).toBe(false);
    const extra = differenceIntent(b);

    await eventually(async () => (await changeStatus(later.body.pendingChange.id)) === 'lapsed', 30_000, 250);
    expect(fake.intents.get(extra.id)!.status).toBe('canceled');
    expect(await terms(b)).toEqual(before);
    expect(await free(b.item.id, at(80), at(83))).toBe(true);
    expect(await free(b.item.id, b.slot.start, b.slot.end)).toBe(false);
    const charge = await ps.pool.query(
      "SELECT status FROM booking.payments WHERE booking_id = $1 AND purpose = 'modification'",
      [b.id],
    );
    expect(charge.rows).toEqual([{ status: 'cancelled' }]);
  }, 60_000);

  it('paid, applies whole: new dates and price, the slot moved, the difference counted as paid, one modification', async () => {
    const b = await confirmedBooking(90);
    const later = await patch(b, { start: at(100), end: at(103) });
    expect(later.status).toBe(202);
    const extra = differenceIntent(b);
    const total = later.body.pendingChange.price.total as number;

    fake.pay(extra.id);
    expect((await fake.deliver(webhookUrl, fake.event('payment_intent.succeeded', extra))).status).toBe(200);
    const now = await booking(b);
    expect(now).toMatchObject({
      status: 'confirmed',
      start: at(100),
      end: at(103),
      paid: total,
      refunded: 0,
    });
    expect(now.price.total).toBe(total);
    expect(await changeStatus(later.body.pendingChange.id)).toBe('applied');
    // The booking holds its new nights only; the old ones are free for others.
    expect(await free(b.item.id, at(100), at(103))).toBe(false);
    expect(await free(b.item.id, b.slot.start, b.slot.end)).toBe(true);
    const rival = await call(ps.stack, 'POST', '/v1/holds', {
      token: await token({ role: 'customer', sub: 'rival-100' }),
      body: { itemId: b.item.id, start: at(100, '12:00'), end: at(101) },
    });
    expect(rival.status).toBe(409);
    expect(await outboxCount(ps.pool, 'booking.modified', b.id)).toBe(1);
    const history = (await call(ps.stack, 'GET', `/v1/bookings/${b.id}/history${b.q}`)).body.items as Json[];
    expect(history.filter((e) => e.kind === 'modification')).toHaveLength(1);

    // A redelivery changes nothing more.
    await fake.deliver(webhookUrl, fake.event('payment_intent.succeeded', extra));
    expect(await booking(b)).toMatchObject({ start: at(100), end: at(103), paid: total });
    expect(await outboxCount(ps.pool, 'booking.modified', b.id)).toBe(1);
  });

  it('paid, a longer stay keeps its first nights and gains the held one', async () => {
    const b = await confirmedBooking(110);
    const longer = await patch(b, { start: b.slot.start, end: at(113) });
    expect(longer.status).toBe(202);
    const extra = differenceIntent(b);
    fake.pay(extra.id);
    await fake.deliver(webhookUrl, fake.event('payment_intent.succeeded', extra));
    const total = longer.body.pendingChange.price.total as number;
    expect(await booking(b)).toMatchObject({ end: at(113), paid: total, price: { total } });
    expect(await free(b.item.id, b.slot.start, at(113))).toBe(false);

    // Shortened back afterwards: the refund is the difference that was actually paid.
    const back = await patch(b, { start: b.slot.start, end: b.slot.end });
    expect(back.status).toBe(200);
    expect(back.body.settlement).toEqual({ kind: 'refund', amount: total - b.pi.amount });
    expect(back.body.paid).toBe(b.pi.amount);
    expect(await free(b.item.id, at(112, '20:00'), at(113))).toBe(true);
  });

  it('gives back in full a difference paid after its change lapsed', async () => {
    const b = await confirmedBooking(120);
    const before = await terms(b);
    const later = await patch(b, { start: at(130), end: at(133) });
    const extra = differenceIntent(b);
    await eventually(async () => (await changeStatus(later.body.pendingChange.id)) === 'lapsed', 30_000, 250);

    // The guest's bank completes the payment anyway.
    fake.pay(extra.id);
    expect((await fake.deliver(webhookUrl, fake.event('payment_intent.succeeded', extra))).status).toBe(200);
    await eventually(async () => fake.refundsOf(extra.id).length === 1, 10_000, 100);
    expect(fake.refundsOf(extra.id)[0]!.amount).toBe(extra.amount);
    const after = await terms(b);
    expect(after).toMatchObject({ start: before.start, end: before.end, price: before.price });
    expect(after.paid).toBe(b.pi.amount);
    expect(await free(b.item.id, at(130), at(133))).toBe(true);
  }, 60_000);
});

describe('changes of one booking at the same time', () => {
  /** The booking's slot as availability has it: the occupying allocation's period. */
  async function slotOf(b: Booked): Promise<{ start: string; end: string }[]> {
    const { rows } = await ps.pool.query(
      `SELECT lower(period) AS start, upper(period) AS "end" FROM availability.allocations
        WHERE ref = $1 AND kind = 'booking' AND active`,
      [b.id],
    );
    return rows.map((r) => ({ start: new Date(r.start).toISOString(), end: new Date(r.end).toISOString() }));
  }

  it('refuses a change while another holds the booking (409 change_in_progress, nothing moved) and takes it once that claim lapses', async () => {
    const b = await confirmedBooking(140);
    const before = await terms(b);
    // Another change is doing its remote work (a process that died mid-change leaves the same claim).
    await ps.pool.query(
      `UPDATE booking.bookings SET change_claimed_until = now() + interval '1 minute' WHERE id = $1`,
      [b.id],
    );
    const refused = await patch(b, { start: at(141), end: at(142) });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'change_in_progress' });
    expect(await terms(b)).toEqual(before);
    expect(await slotOf(b)).toEqual([{ start: b.slot.start, end: b.slot.end }]);

    await ps.pool.query(
      `UPDATE booking.bookings SET change_claimed_until = now() - interval '1 second' WHERE id = $1`,
      [b.id],
    );
    // One night instead of two: cheaper, so it applies at once and the claim is released.
    const applied = await patch(b, { start: at(141), end: at(142) });
    expect(applied.status).toBe(200);
    expect(applied.body.start).toBe(at(141));
    expect(await slotOf(b)).toEqual([{ start: at(141), end: at(142) }]);
    const { rows } = await ps.pool.query('SELECT change_claimed_until FROM booking.bookings WHERE id = $1', [
      b.id,
    ]);
    expect(rows[0].change_claimed_until).toBeNull();
  }, 60_000);

  it('leaves the booking and its slot agreeing whatever the interleaving of three changes sent at once', async () => {
    const b = await confirmedBooking(150);
    const asked = [
      { start: at(151), end: at(152) },
      { start: at(153), end: at(154) },
      { start: at(155), end: at(156) },
    ];
    const answers = await Promise.all(asked.map((dates) => patch(b, dates)));
    for (const a of answers) {
      expect([200, 409]).toContain(a.status);
      if (a.status === 409) expect(['change_in_progress', 'booking_changed']).toContain(a.body.code);
    }
    expect(answers.some((a) => a.status === 200)).toBe(true);
    const now = await booking(b);
    const applied = answers.filter((a) => a.status === 200).map((a) => a.body.start as string);
    expect(applied).toContain(now.start);
    expect(await slotOf(b)).toEqual([{ start: now.start, end: now.end }]);
    const { rows } = await ps.pool.query(
      'SELECT count(*)::int AS n FROM booking.modifications WHERE booking_id = $1',
      [b.id],
    );
    expect(rows[0].n).toBe(applied.length);
  }, 60_000);
});
