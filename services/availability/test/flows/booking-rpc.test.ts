/** What the booking service relies on: the RPC methods, the events they cause, and the booking-events consumer. */
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { availabilityRpc, Conflict, NotFound, type BookingStatus } from '@midas/contracts';
import { jobId } from '@midas/jobs';
import { bearer, eventually, signToken } from '@midas/testing';
import { HOLDS_QUEUE } from '../../src/jobs/hold-expiry';
import {
  startAvailability,
  startBookingSide,
  createItem,
  at,
  type Harness,
  type BookingSide,
} from '../harness';

let h: Harness;
let booking: BookingSide;
let redis: Redis;
let holds: Queue;
beforeAll(async () => {
  h = await startAvailability();
  booking = await startBookingSide(h);
  redis = new Redis(h.env.cfg.REDIS_URL, { maxRetriesPerRequest: null });
  holds = new Queue(HOLDS_QUEUE, { connection: redis, prefix: `${h.env.namespace}bull` });
});
afterAll(async () => {
  await holds.close();
  redis.disconnect();
  await booking.stop();
  await h.stop();
});

const call = <K extends keyof typeof availabilityRpc>(
  name: K,
  req: Parameters<BookingSide['broker']['call']>[1],
) =>
  booking.broker.call(availabilityRpc[name] as never, req as never, { timeoutMs: 10_000 }) as Promise<
    Record<string, unknown>
  >;

async function calendar(
  itemId: string,
  from: string,
  to: string,
): Promise<{ kind: string; start: string; end: string; ref?: string }[]> {
  const res = await request(h.url).get(`/v1/items/${itemId}/calendar`).set(h.admin).query({ from, to });
  return res.body.entries;
}

/** The value of `midas_availability_holds_ended_total{outcome}` on availability's /metrics (0 when absent). */
async function holdsEnded(outcome: 'converted' | 'released'): Promise<number> {
  const text = (await request(h.url).get('/metrics')).text;
  const line = text
    .split('\n')
    .find((l) => l.startsWith('midas_availability_holds_ended_total{') && l.includes(`outcome="${outcome}"`));
  return line ? Number(line.split(' ').pop()) : 0;
}

async function activeRows(itemId: string) {
  const r = await booking.pool.query(
    `SELECT id, kind, ref, lower(period) AS start, upper(period) AS "end", upper(blocked) AS blocked_end, active, ended_reason
     FROM availability.allocations WHERE item_id = $1 ORDER BY created_at`,
    [itemId],
  );
  return r.rows as {
    id: string;
    kind: string;
    ref: string | null;
    start: Date;
    end: Date;
    blocked_end: Date;
    active: boolean;
    ended_reason: string | null;
  }[];
}

function statusChange(
  itemId: string,
  bookingId: string,
  start: string,
  end: string,
  from: BookingStatus,
  to: BookingStatus,
) {
  return {
    bookingId,
    itemId,
    itemType: 'car',
    itemName: 'Test car',
    location: 'Monaco',
    timezone: 'Europe/Monaco',
    start,
    end,
    status: to,
    currency: 'EUR',
    total: 100_000,
    from,
    to,
    actor: 'system',
  };
}

describe('RPC for booking', () => {
  it('holds for a booking, then confirms the hold into a booked slot in place', async () => {
    const item = await createItem(h);
    const bookingId = randomUUID();
    const held = await call('hold', {
      itemId: item.id,
      start: at(3, '10:00'),
      end: at(3, '12:00'),
      ref: bookingId,
      ttlSeconds: 900,
    });
    expect(held).toMatchObject({ itemId: item.id, start: at(3, '10:00'), end: at(3, '12:00') });
    // A retried ask for the same booking gets the same hold, not slot_taken.
    const retried = await call('hold', {
      itemId: item.id,
      start: at(3, '10:00'),
      end: at(3, '12:00'),
      ref: bookingId,
    });
    expect(retried.holdId).toBe(held.holdId);
    const expiryJob = jobId('hold-expiry', held.holdId as string, Date.parse(held.expiresAt as string));
    expect(await holds.getJob(expiryJob)).toBeDefined();
    const convertedBefore = await holdsEnded('converted');
    const confirmed = await call('confirm', { holdId: held.holdId, bookingId });
    expect(confirmed).toEqual({ allocationId: held.holdId, retaken: false });
    // A booked hold no longer lapses: its expiry job is gone rather than left to run for nothing.
    expect(await holds.getJob(expiryJob)).toBeUndefined();
    expect(await call('confirm', { holdId: held.holdId, bookingId })).toEqual(confirmed);
    // Hold conversion counts the paid hold once, not the repeated answer.
    expect((await holdsEnded('converted')) - convertedBefore).toBe(1);
    expect(await calendar(item.id, at(2), at(4))).toEqual([
      expect.objectContaining({ kind: 'booking', ref: bookingId, start: at(3, '10:00') }),
      expect.objectContaining({ kind: 'buffer', start: at(3, '12:00'), end: at(3, '14:00') }),
    ]);
    await eventually(async () =>
      booking.received.some((e) => e.type === 'hold.created' && e.data.holdId === held.holdId),
    );
  });

  it("adopts a guest's hold only for the guest holding its token", async () => {
    const item = await createItem(h);
    const slot = { itemId: item.id, start: at(4, '10:00'), end: at(4, '12:00') };
    const guest = await request(h.url).post('/v1/holds').send(slot);
    expect(guest.status).toBe(201);
    await expect(
      call('hold', { ...slot, holdId: guest.body.id, ref: randomUUID(), holdToken: 'someone-else' }),
    ).rejects.toBeInstanceOf(NotFound);
    const bookingId = randomUUID();
    const adopted = await call('hold', {
      ...slot,
      holdId: guest.body.id,
      ref: bookingId,
      holdToken: guest.body.holdToken,
      ttlSeconds: 1800,
    });
    expect(adopted.holdId).toBe(guest.body.id);
    expect(Date.parse(adopted.expiresAt as string)).toBeGreaterThan(Date.now() + 1700_000);
    // The guest can no longer pull the slot from under the booking.
    const release = await request(h.url)
      .delete(`/v1/holds/${guest.body.id}`)
      .query({ holdToken: guest.body.holdToken });
    expect(release.status).toBe(409);
    await expect(
      call('hold', {
        ...slot,
        end: at(4, '13:00'),
        holdId: guest.body.id,
        ref: bookingId,
        holdToken: guest.body.holdToken,
      }),
    ).rejects.toMatchObject({ code: 'hold_mismatch' });
  });

  it("never adopts a customer's hold for a guest presenting the customer's sub as a holdToken, nor for another customer", async () => {
    const item = await createItem(h);
    const slot = { itemId: item.id, start: at(4, '14:00'), end: at(4, '16:00') };
    const owner = bearer(await signToken({ role: 'customer', sub: 'customer-owner' }));
    const held = await request(h.url).post('/v1/holds').set(owner).send(slot);
    expect(held.status).toBe(201);
    expect(held.body.holdToken).toBeUndefined();
    for (const attempt of [
      { holdToken: 'customer-owner' },
      { holder: 'customer-owner' },
      { holderSub: 'another-customer' },
      {},
    ]) {
      await expect(
        call('hold', { ...slot, holdId: held.body.id, ref: randomUUID(), ...attempt }),
      ).rejects.toBeInstanceOf(NotFound);
    }
    const adopted = await call('hold', {
      ...slot,
      holdId: held.body.id,
      ref: randomUUID(),
      holderSub: 'customer-owner',
    });
    expect(adopted.holdId).toBe(held.body.id);
  });

  it('answers slot_taken and rule violations as typed errors', async () => {
    const item = await createItem(h);
    await call('hold', { itemId: item.id, start: at(5, '10:00'), end: at(5, '12:00'), ref: randomUUID() });
    const taken = call('hold', {
      itemId: item.id,
      start: at(5, '11:00'),
      end: at(5, '12:00'),
      ref: randomUUID(),
    });
    await expect(taken).rejects.toBeInstanceOf(Conflict);
    await expect(taken).rejects.toMatchObject({ code: 'slot_taken' });
    await expect(
      call('hold', { itemId: item.id, start: at(-1), end: at(1), ref: randomUUID() }),
    ).rejects.toMatchObject({
      code: 'in_past',
      status: 422,
    });
    await expect(call('getItem', { itemId: randomUUID() })).rejects.toBeInstanceOf(NotFound);
  });

  it('re-takes a lapsed hold on confirm while the slot is free, and refuses when someone took it', async () => {
    const item = await createItem(h);
    const a = randomUUID();
    const lapsed = await call('hold', {
      itemId: item.id,
      start: at(6, '10:00'),
      end: at(6, '12:00'),
      ref: a,
      ttlSeconds: 1,
    });
    await new Promise((r) => setTimeout(r, 1500));
    // Its expiry job has ended the hold by now: the slot is booked in a fresh row.
    const confirmed = await call('confirm', { holdId: lapsed.holdId, bookingId: a });
    expect(confirmed).toEqual({ allocationId: expect.any(String), retaken: true });
    expect(confirmed.allocationId).not.toBe(lapsed.holdId);
    expect(await call('confirm', { holdId: lapsed.holdId, bookingId: a })).toEqual(confirmed);

    const b = randomUUID();
    const gone = await call('hold', {
      itemId: item.id,
      start: at(7, '10:00'),
      end: at(7, '12:00'),
      ref: b,
      ttlSeconds: 1,
    });
    await new Promise((r) => setTimeout(r, 1500));
    const thief = await request(h.url)
      .post('/v1/holds')
      .send({ itemId: item.id, start: at(7, '09:00'), end: at(7, '11:00') });
    expect(thief.status).toBe(201);
    await expect(call('confirm', { holdId: gone.holdId, bookingId: b })).rejects.toMatchObject({
      code: 'slot_taken',
    });
    await eventually(
      async () =>
        booking.received.filter((e) => e.type === 'hold.expired' && e.data.holdId === gone.holdId).length ===
        1,
    );
  });

  it('moves a booking when the new range is free and keeps the old range when it is taken', async () => {
    const item = await createItem(h);
    const bookingId = randomUUID();
    const held = await call('hold', {
      itemId: item.id,
      start: at(8, '10:00'),
      end: at(8, '12:00'),
      ref: bookingId,
    });
    await call('confirm', { holdId: held.holdId, bookingId });
    expect(await call('move', { bookingId, start: at(8, '10:00'), end: at(8, '15:00') })).toEqual({
      start: at(8, '10:00'),
      end: at(8, '15:00'),
    });
    await request(h.url)
      .post('/v1/holds')
      .send({ itemId: item.id, start: at(8, '20:00'), end: at(8, '22:00') })
      .expect(201);
    await expect(
      call('move', { bookingId, start: at(8, '10:00'), end: at(8, '19:00') }),
    ).rejects.toMatchObject({ code: 'slot_taken' });
    const rows = (await activeRows(item.id)).filter((r) => r.ref === bookingId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ active: true, kind: 'booking' });
    expect(rows[0]!.end.toISOString()).toBe(at(8, '15:00'));
    await expect(
      call('move', { bookingId: randomUUID(), start: at(9), end: at(9, '12:00') }),
    ).rejects.toBeInstanceOf(NotFound);
  });

  it('confirms the hold of a paid change of dates in place of the booking slot, in one step, idempotently', async () => {
    const item = await createItem(h);
    const bookingId = randomUUID();
    const first = await call('hold', {
      itemId: item.id,
      start: at(11),
      end: at(11, '12:00'),
      ref: bookingId,
    });
    await call('confirm', { holdId: first.holdId, bookingId });
    // The change's new dates are held beside the booked slot, under the same booking.
    const change = await call('hold', {
      itemId: item.id,
      start: at(12),
      end: at(12, '12:00'),
      ref: bookingId,
      ttlSeconds: 60,
    });
    const both = (await activeRows(item.id)).filter((r) => r.ref === bookingId && r.active);
    expect(both.map((r) => r.kind).sort()).toEqual(['booking', 'hold']);

    const confirmed = await call('confirm', { holdId: change.holdId, bookingId, replacing: true });
    expect(confirmed).toEqual({ allocationId: change.holdId, retaken: false });
    expect(await call('confirm', { holdId: change.holdId, bookingId, replacing: true })).toEqual(confirmed);
    const rows = (await activeRows(item.id)).filter((r) => r.ref === bookingId);
    expect(rows.filter((r) => r.active)).toEqual([
      expect.objectContaining({ id: change.holdId, kind: 'booking', active: true }),
    ]);
    expect(rows.find((r) => r.id === first.holdId)).toMatchObject({ active: false, ended_reason: 'moved' });
  });

  it('releases a booking slot, idempotently', async () => {
    const item = await createItem(h);
    const bookingId = randomUUID();
    const held = await call('hold', {
      itemId: item.id,
      start: at(9, '10:00'),
      end: at(9, '12:00'),
      ref: bookingId,
    });
    expect(await call('release', { bookingId })).toEqual({ released: true });
    expect(await call('release', { bookingId })).toEqual({ released: false });
    expect(await call('release', { holdId: held.holdId })).toEqual({ released: false });
    await eventually(async () =>
      booking.received.some((e) => e.type === 'hold.released' && e.data.holdId === held.holdId),
    );
    await request(h.url)
      .post('/v1/holds')
      .send({ itemId: item.id, start: at(9, '10:00'), end: at(9, '12:00') })
      .expect(201);
  });

  it('describes an item to booking and pricing', async () => {
    const item = await createItem(h, { type: 'yacht' });
    expect(await call('getItem', { itemId: item.id })).toMatchObject({
      id: item.id,
      type: 'yacht',
      bufferMinutes: 240,
      active: true,
    });
  });
});

describe('blackouts over bookings', () => {
  it('refuses a blackout over a confirmed booking unless an admin forces it, then names the booking in the event', async () => {
    const item = await createItem(h);
    const bookingId = randomUUID();
    const held = await call('hold', {
      itemId: item.id,
      start: at(10, '10:00'),
      end: at(10, '12:00'),
      ref: bookingId,
    });
    await call('confirm', { holdId: held.holdId, bookingId });
    const body = { start: at(10, '00:00'), end: at(11, '00:00'), reason: 'hail damage' };
    const refused = await request(h.url).post(`/v1/items/${item.id}/blackouts`).set(h.admin).send(body);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('overlaps_booking');
    const forced = await request(h.url)
      .post(`/v1/items/${item.id}/blackouts`)
      .set(h.admin)
      .send({ ...body, force: true });
    expect(forced.status).toBe(201);
    expect(forced.body.affectedBookingIds).toEqual([bookingId]);
    const event = await eventually(async () =>
      booking.received.find((e) => e.type === 'blackout.created' && e.data.blackoutId === forced.body.id),
    );
    expect(event.data.affectedBookingIds).toEqual([bookingId]);
    // Staff move the displaced booking to another day: its slot comes back.
    expect(await call('move', { bookingId, start: at(12, '10:00'), end: at(12, '12:00') })).toEqual({
      start: at(12, '10:00'),
      end: at(12, '12:00'),
    });
  });
});

describe('consuming booking events', () => {
  it('frees the slot of a cancelled booking and of an expired one', async () => {
    const item = await createItem(h);
    for (const to of ['cancelled', 'expired'] as const) {
      const bookingId = randomUUID();
      const slot = { start: at(13, '10:00'), end: at(13, '12:00') };
      const held = await call('hold', { itemId: item.id, ...slot, ref: bookingId });
      if (to === 'cancelled') await call('confirm', { holdId: held.holdId, bookingId });
      await booking.publish(
        'booking.status_changed',
        statusChange(
          item.id,
          bookingId,
          slot.start,
          slot.end,
          to === 'cancelled' ? 'confirmed' : 'pending_payment',
          to,
        ),
      );
      await eventually(
        async () => (await activeRows(item.id)).find((r) => r.id === held.holdId)?.active === false,
      );
      expect((await activeRows(item.id)).find((r) => r.id === held.holdId)?.ended_reason).toBe(to);
    }
  });

  it('frees the rest of a no-show period and nothing before it', async () => {
    const item = await createItem(h);
    const bookingId = randomUUID();
    // A booking that started an hour ago, for six hours (written directly: holds cannot start in the past).
    const start = new Date(Date.now() - 3600_000);
    const end = new Date(start.getTime() + 6 * 3600_000);
    await booking.pool.query(
      `INSERT INTO availability.allocations (item_id, kind, ref, period, blocked)
       VALUES ($1, 'booking', $2, tstzrange($3, $4), tstzrange($3, $4 + interval '2 hours'))`,
      [item.id, bookingId, start, end],
    );
    const before = Date.now();
    await booking.publish(
      'booking.status_changed',
      statusChange(item.id, bookingId, start.toISOString(), end.toISOString(), 'confirmed', 'no_show'),
    );
    const row = await eventually(async () =>
      (await activeRows(item.id)).find((r) => r.ref === bookingId && r.end.getTime() < end.getTime()),
    );
    expect(row.active).toBe(true);
    expect(row.start.getTime()).toBe(start.getTime());
    expect(row.end.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(row.end.getTime()).toBeLessThan(Date.now());
    expect(row.blocked_end.getTime()).toBe(row.end.getTime());
    // The rest of the period can be booked again.
    const later = {
      itemId: item.id,
      start: new Date(Date.now() + 3600_000).toISOString(),
      end: end.toISOString(),
    };
    expect((await request(h.url).post('/v1/holds').send(later)).status).toBe(201);
  });

  it('is not sent the status changes that free nothing: confirmation and assignment cost it nothing', async () => {
    const item = await createItem(h);
    const bookingId = randomUUID();
    const slot = { start: at(14, '10:00'), end: at(14, '12:00') };
    const held = await call('hold', { itemId: item.id, ...slot, ref: bookingId });
    await call('confirm', { holdId: held.holdId, bookingId });
    const change = (from: BookingStatus, to: BookingStatus) =>
      booking.publish(
        'booking.status_changed',
        statusChange(item.id, bookingId, slot.start, slot.end, from, to),
      );
    const ignored = [
      await change('pending_payment', 'confirmed'),
      await change('confirmed', 'concierge_assigned'),
    ];
    const cancelled = await change('concierge_assigned', 'cancelled');
    await eventually(
      async () => (await activeRows(item.id)).find((r) => r.id === held.holdId)?.active === false,
    );
    const inbox = await booking.pool.query<{ event_id: string }>(
      'SELECT event_id FROM availability.inbox WHERE event_id = ANY($1::uuid[])',
      [[...ignored, cancelled]],
    );
    expect(inbox.rows.map((r) => r.event_id)).toEqual([cancelled]);
  });

  it('follows a booking moved to free dates', async () => {
    const item = await createItem(h);
    const bookingId = randomUUID();
    const held = await call('hold', {
      itemId: item.id,
      start: at(15, '10:00'),
      end: at(15, '12:00'),
      ref: bookingId,
    });
    await call('confirm', { holdId: held.holdId, bookingId });
    await booking.publish('booking.modified', {
      ...statusChange(item.id, bookingId, at(16, '10:00'), at(16, '12:00'), 'confirmed', 'confirmed'),
      previous: { start: at(15, '10:00'), end: at(15, '12:00'), total: 100_000 },
    });
    await eventually(
      async () =>
        (await activeRows(item.id)).find((r) => r.id === held.holdId)?.start.toISOString() ===
        at(16, '10:00'),
    );
  });
});

describe('events of items and holds', () => {
  it('announces item creation and change, and a guest releasing a hold', async () => {
    const item = await createItem(h);
    await request(h.url).patch(`/v1/items/${item.id}`).set(h.admin).send({ name: 'Renamed' }).expect(200);
    await eventually(async () =>
      booking.received.some((e) => e.type === 'item.created' && e.data.id === item.id),
    );
    await eventually(async () =>
      booking.received.some((e) => e.type === 'item.updated' && e.data.name === 'Renamed'),
    );
    const held = await request(h.url)
      .post('/v1/holds')
      .send({ itemId: item.id, start: at(17, '10:00'), end: at(17, '12:00') });
    const releasedBefore = await holdsEnded('released');
    const convertedBefore = await holdsEnded('converted');
    await request(h.url)
      .delete(`/v1/holds/${held.body.id}`)
      .query({ holdToken: held.body.holdToken })
      .expect(204);
    await eventually(async () =>
      booking.received.some((e) => e.type === 'hold.released' && e.data.holdId === held.body.id),
    );
    // A released hold is not a converted one; releasing twice counts once.
    await request(h.url)
      .delete(`/v1/holds/${held.body.id}`)
      .query({ holdToken: held.body.holdToken })
      .expect(204);
    expect((await holdsEnded('released')) - releasedBefore).toBe(1);
    expect(await holdsEnded('converted')).toBe(convertedBefore);
  });
});
