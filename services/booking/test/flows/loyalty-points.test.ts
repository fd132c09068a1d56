/**
 * Loyalty that rewards, end to end through the gateway: a signed-in customer's public quote
 * carries their perk and the points they redeem, as their booking does (a guest's carries
 * neither); redeemed points leave the balance with the booking, cannot pay for two bookings at
 * once, and come back once when the booking is cancelled or expires unpaid; a tier upgrade
 * reaches the customer as an email at a real SMTP server.
 */
import { startService, type RunningService } from '@midas/runtime';
import { createDb } from '@midas/db';
import { defineNotificationService } from '../../../notification/src/service';
import { startSmtpSink, type SmtpSink } from '../../../notification/test/support/smtp-sink';
import { restoreRedeemedPoints } from '../../src/flows/redeem-points';
import { at, call, createItem, eventually, guest, startStack, token, type Stack } from '../harness';

let stack: Stack;
let notification: RunningService;
let smtp: SmtpSink;

beforeAll(async () => {
  smtp = await startSmtpSink();
  // Unpaid bookings expire 20 s after they are made, so one lapses while the tests run.
  stack = await startStack({ HOLD_TTL_SECONDS: '20' });
  notification = await startService(
    defineNotificationService({ delivery: { attempts: 3, backoffMs: 100 } }),
    { ...stack.env.cfg, SMTP_URL: smtp.url },
    { port: 0 },
  );
}, 120_000);
afterAll(async () => {
  await notification?.stop();
  await stack?.stop();
  await smtp?.close();
});

type Line = { code: string; amount: number; description: string };
const sql = (text: string, values: unknown[] = []) => stack.booking.ctx.pool.query(text, values);
const lineOf = (lines: Line[], code: string) => lines.find((l) => l.code === code);
const sum = (lines: Line[]) => lines.reduce((n, l) => n + l.amount, 0);

async function customer(sub: string, standing: { tier?: string; points?: number } = {}) {
  if (standing.tier || standing.points) {
    await sql('INSERT INTO booking.customers (id, tier, points) VALUES ($1, $2, $3)', [
      sub,
      standing.tier ?? 'standard',
      standing.points ?? 0,
    ]);
  }
  return token({ role: 'customer', sub, email: `${sub}@example.com`, name: 'Pat Loyal' });
}

async function balance(bearer: string): Promise<number> {
  const res = await call(stack, 'GET', '/v1/me/loyalty', { token: bearer });
  expect(res.status).toBe(200);
  return res.body.points as number;
}

/** Pricing learns items from availability's events: the item's first quote may need a moment. */
async function quotable(itemId: string, start: string, end: string): Promise<void> {
  await eventually(
    async () => (await call(stack, 'POST', '/v1/quotes', { body: { itemId, start, end } })).status === 200,
    20_000,
  );
}

describe('loyalty on quotes and bookings', () => {
  it("prices a signed-in customer's quote with their perk and redeemed points, as their booking, and a guest's with neither", async () => {
    const car = await createItem(stack, { rate: { unit: 'day', amount: 100_000 } });
    const stay = { itemId: car.id, start: at(20), end: at(22) };
    await quotable(car.id, stay.start, stay.end);
    const loyal = await customer('pts-premium', { tier: 'premium', points: 5_000 });
    const fresh = await customer('pts-new');
    const admin = await token({ role: 'admin', sub: 'pts-admin' });

    const asGuest = await call(stack, 'POST', '/v1/quotes', { body: stay });
    const asNew = await call(stack, 'POST', '/v1/quotes', { token: fresh, body: stay });
    const asLoyal = await call(stack, 'POST', '/v1/quotes', { token: loyal, body: stay });
    for (const q of [asGuest, asNew, asLoyal]) expect(q.status).toBe(200);
    expect(lineOf(asGuest.body.lines, 'loyalty')).toBeUndefined();
    expect(lineOf(asNew.body.lines, 'loyalty')).toBeUndefined();
    expect(asNew.body.total).toBe(asGuest.body.total);
    // The upgraded customer's quote for the same stay is never higher than a new customer's.
    expect(lineOf(asLoyal.body.lines, 'loyalty')?.amount).toBeLessThan(0);
    expect(asLoyal.body.total).toBeLessThan(asNew.body.total);
    expect(asLoyal.body.tier).toBe('standard');

    const redeeming = await call(stack, 'POST', '/v1/quotes', {
      token: loyal,
      body: { ...stay, redeemPoints: 3_000 },
    });
    expect(redeeming.status).toBe(200);
    expect(redeeming.body.pointsRedeemed).toBe(3_000);
    // 100 points a euro: 3 000 points are EUR 30.00 off the price before tax.
    expect(lineOf(redeeming.body.lines, 'points')).toEqual({
      code: 'points',
      description: 'Loyalty points: 3,000 redeemed',
      amount: -3_000,
    });
    expect(sum(redeeming.body.lines)).toBe(redeeming.body.total);
    expect(redeeming.body.total).toBeLessThan(asLoyal.body.total);
    const again = await call(stack, 'GET', `/v1/quotes/${redeeming.body.id}`);
    expect(again.body).toEqual(redeeming.body);

    // Points need a customer's sign-in and a balance that holds them; nothing is stored otherwise.
    const refusals = await Promise.all([
      call(stack, 'POST', '/v1/quotes', { body: { ...stay, redeemPoints: 100 } }),
      call(stack, 'POST', '/v1/quotes', { token: admin, body: { ...stay, redeemPoints: 100 } }),
      call(stack, 'POST', '/v1/quotes', { token: loyal, body: { ...stay, redeemPoints: 5_001 } }),
      call(stack, 'POST', '/v1/quotes', { token: loyal, body: { ...stay, redeemPoints: 0 } }),
      call(stack, 'POST', '/v1/quotes', { token: loyal, body: { ...stay, redeemPoints: 1.5 } }),
      call(stack, 'POST', '/v1/bookings', { body: { ...stay, guest, redeemPoints: 100 } }),
      call(stack, 'POST', '/v1/bookings', { token: admin, body: { ...stay, guest, redeemPoints: 100 } }),
      call(stack, 'POST', '/v1/bookings', { token: loyal, body: { ...stay, redeemPoints: 5_001 } }),
    ]);
    expect(refusals.map((r) => r.status)).toEqual([401, 403, 422, 400, 400, 401, 403, 422]);
    expect(refusals[2]!.body.code).toBe('insufficient_points');
    expect(refusals[7]!.body.code).toBe('insufficient_points');
    for (const r of refusals) expect(r.body.type).toBeDefined();
    expect(await balance(loyal)).toBe(5_000);

    // The booking is priced exactly as the quote was, and the points leave the balance with it.
    const booked = await call(stack, 'POST', '/v1/bookings', {
      token: loyal,
      body: { ...stay, redeemPoints: 3_000 },
    });
    expect(booked.status).toBe(201);
    expect(booked.body.price.lines).toEqual(redeeming.body.lines);
    expect(booked.body.price.total).toBe(redeeming.body.total);
    expect(await balance(loyal)).toBe(2_000);

    // Cancelled: the points come back, once, and the history says so.
    const id = booked.body.id as string;
    const cancelled = await call(stack, 'POST', `/v1/bookings/${id}/cancel`, {
      token: loyal,
      body: { reason: 'plans changed' },
    });
    expect(cancelled.status).toBe(200);
    expect(await balance(loyal)).toBe(5_000);
    const history = await sql(
      "SELECT details FROM booking.status_history WHERE booking_id = $1 AND to_status = 'cancelled'",
      [id],
    );
    expect(history.rows).toEqual([{ details: expect.objectContaining({ pointsRestored: 3_000 }) }]);
    // News of the cancellation handled again (a redelivery, a retried step) gives nothing more back.
    const db = createDb(stack.booking.ctx.pool, {});
    expect(await db.transaction((tx) => restoreRedeemedPoints(tx, id, 'cancelled'))).toBe(0);
    await call(stack, 'POST', `/v1/bookings/${id}/cancel`, { token: loyal, body: { reason: 'twice' } });
    expect(await balance(loyal)).toBe(5_000);
  });

  it('lets the same points pay for one of two bookings made at once, never both', async () => {
    const cars = [await createItem(stack), await createItem(stack)];
    for (const car of cars) await quotable(car.id, at(40), at(41));
    const racer = await customer('pts-racer', { points: 4_000 });
    const results = await Promise.all(
      cars.map((car) =>
        call(stack, 'POST', '/v1/bookings', {
          token: racer,
          body: { itemId: car.id, start: at(40), end: at(41), redeemPoints: 4_000 },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
    const lost = results.find((r) => r.status === 422)!;
    expect(lost.body.code).toBe('insufficient_points');
    expect(await balance(racer)).toBe(0);
    const won = results.find((r) => r.status === 201)!;
    const redemptions = await sql(
      'SELECT booking_id, points FROM booking.points_redemptions WHERE customer_id = $1',
      ['pts-racer'],
    );
    expect(redemptions.rows).toEqual([{ booking_id: won.body.id, points: '4000' }]);
    // The refused booking held nothing: its slot is free for someone else.
    const lostCar = cars[results.indexOf(lost)]!;
    const other = await call(stack, 'POST', '/v1/bookings', {
      body: { itemId: lostCar.id, start: at(40), end: at(41), guest },
    });
    expect(other.status).toBe(201);
    // Paid, so it does not lapse and give the points back.
    expect(
      (await call(stack, 'POST', `/v1/payments/local/${won.body.id}/confirm`, { token: racer })).status,
    ).toBe(200);
    expect(await balance(racer)).toBeGreaterThanOrEqual(0);
  });

  it('gives the points of a booking that expires unpaid back', async () => {
    const car = await createItem(stack);
    await quotable(car.id, at(50), at(51));
    const lapsing = await customer('pts-lapsing', { points: 1_000 });
    const booked = await call(stack, 'POST', '/v1/bookings', {
      token: lapsing,
      body: { itemId: car.id, start: at(50), end: at(51), redeemPoints: 1_000 },
    });
    expect(booked.status).toBe(201);
    expect(lineOf(booked.body.price.lines, 'points')?.amount).toBe(-1_000);
    expect(await balance(lapsing)).toBe(0);
    await eventually(
      async () =>
        (await call(stack, 'GET', `/v1/bookings/${booked.body.id}`, { token: lapsing })).body.status ===
        'expired',
      60_000,
      250,
    );
    expect(await balance(lapsing)).toBe(1_000);
  }, 90_000);

  it('keeps redeemed points on a change, giving back what the new price no longer lets them pay', async () => {
    // EUR 10 a day: on two days points may pay EUR 10 (1 000 points), on one day EUR 5.
    const car = await createItem(stack, { rate: { unit: 'day', amount: 1_000 } });
    await quotable(car.id, at(80), at(82));
    const changer = await customer('pts-changer', { points: 5_000 });
    const booked = await call(stack, 'POST', '/v1/bookings', {
      token: changer,
      body: { itemId: car.id, start: at(80), end: at(82), redeemPoints: 5_000 },
    });
    expect(booked.status).toBe(201);
    expect(lineOf(booked.body.price.lines, 'points')?.amount).toBe(-1_000);
    expect(await balance(changer)).toBe(4_000);
    const id = booked.body.id as string;
    expect((await call(stack, 'POST', `/v1/payments/local/${id}/confirm`, { token: changer })).status).toBe(
      200,
    );
    const pointsNow = await balance(changer);

    const shorter = await call(stack, 'PATCH', `/v1/bookings/${id}`, {
      token: changer,
      body: { end: at(81) },
    });
    expect(shorter.status).toBe(200);
    expect(lineOf(shorter.body.price.lines, 'points')?.amount).toBe(-500);
    expect(sum(shorter.body.price.lines)).toBe(shorter.body.price.total);
    // 500 points come back; the refund of the difference takes back the points it had earned.
    expect(shorter.body.settlement.kind).toBe('refund');
    const earnedOnRefund = Math.floor((shorter.body.settlement.amount as number) / 100);
    await eventually(async () => (await balance(changer)) === pointsNow + 500 - earnedOnRefund, 10_000);
    const held = await sql(
      'SELECT points, restored_at FROM booking.points_redemptions WHERE booking_id = $1',
      [id],
    );
    expect(held.rows).toEqual([{ points: '500', restored_at: null }]);

    // Cancelled later: what is still redeemed comes back, not the points already returned.
    expect(
      (await call(stack, 'POST', `/v1/bookings/${id}/cancel`, { token: changer, body: { reason: 'off' } }))
        .status,
    ).toBe(200);
    const history = await sql(
      "SELECT details FROM booking.status_history WHERE booking_id = $1 AND to_status = 'cancelled'",
      [id],
    );
    expect(history.rows).toEqual([{ details: expect.objectContaining({ pointsRestored: 500 }) }]);
    const restored = await sql(
      'SELECT points, restored_reason FROM booking.points_redemptions WHERE booking_id = $1',
      [id],
    );
    expect(restored.rows).toEqual([{ points: '500', restored_reason: 'cancelled' }]);
  });

  it('emails the customer when their tier goes up, and their next quote carries the new perk', async () => {
    // Thresholds are data: here EUR 1 500 of spend makes a premium customer.
    await sql(
      `UPDATE booking.loyalty_tiers SET min_lifetime_value = 150000 WHERE tier = 'premium' AND currency = 'EUR'`,
    );
    const car = await createItem(stack, { rate: { unit: 'day', amount: 100_000 } });
    await quotable(car.id, at(60), at(62));
    const rising = await token({
      role: 'customer',
      sub: 'pts-rising',
      email: 'tia@example.com',
      name: 'Tia Up',
    });
    const before = await call(stack, 'POST', '/v1/quotes', {
      token: rising,
      body: { itemId: car.id, start: at(70), end: at(72) },
    });
    expect(lineOf(before.body.lines, 'loyalty')).toBeUndefined();

    const booked = await call(stack, 'POST', '/v1/bookings', {
      token: rising,
      body: { itemId: car.id, start: at(60), end: at(62) },
    });
    expect(booked.status).toBe(201);
    const paid = await call(stack, 'POST', `/v1/payments/local/${booked.body.id}/confirm`, { token: rising });
    expect(paid.status).toBe(200);
    const standing = await call(stack, 'GET', '/v1/me/loyalty', { token: rising });
    expect(standing.body).toMatchObject({ tier: 'premium' });

    const mail = await eventually(async () => {
      const i = smtp.received.findIndex((m) => m.subject === 'Welcome to Premium, Tia');
      return i >= 0 && { message: smtp.received[i]!, to: smtp.recipients[i]! };
    }, 30_000);
    expect(mail.to).toContain('tia@example.com');
    expect(mail.message.text).toContain('your tier has moved from Standard to Premium');
    expect(mail.message.text).toContain(
      `You hold ${(standing.body.points as number).toLocaleString('en')} loyalty points.`,
    );
    // Once only, however the payment's news travels.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(smtp.received.filter((m) => m.subject === 'Welcome to Premium, Tia')).toHaveLength(1);

    const after = await call(stack, 'POST', '/v1/quotes', {
      token: rising,
      body: { itemId: car.id, start: at(70), end: at(72) },
    });
    expect(lineOf(after.body.lines, 'loyalty')?.amount).toBeLessThan(0);
    expect(after.body.total).toBeLessThan(before.body.total);
  });
});
