import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { bearer, signToken } from '@midas/testing';
import { startAvailability, createItem, at, type Harness } from '../harness';

let h: Harness;
beforeAll(async () => {
  h = await startAvailability();
});
afterAll(() => h.stop());

const check = (itemId: string, start: string, end: string) =>
  request(h.url).get('/v1/availability').query({ itemId, start, end });
const holdSlot = async (itemId: string, start: string, end: string) => {
  const res = await request(h.url).post('/v1/holds').send({ itemId, start, end });
  expect(res.status).toBe(201);
  return res.body as { id: string; holdToken: string };
};

describe('checking one item', () => {
  it('says a free slot is available with no reasons', async () => {
    const item = await createItem(h);
    const res = await check(item.id, at(3, '10:00'), at(3, '12:00'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ available: true, reasons: [] });
  });

  it('names what is in the way: a hold, the buffer after it, a blackout', async () => {
    const item = await createItem(h);
    await holdSlot(item.id, at(3, '08:00'), at(3, '10:00'));
    const blackout = await request(h.url)
      .post(`/v1/items/${item.id}/blackouts`)
      .set(h.admin)
      .send({ start: at(3, '16:00'), end: at(3, '18:00'), reason: 'tyres' });
    expect(blackout.status).toBe(201);
    const res = await check(item.id, at(3, '09:00'), at(3, '17:00'));
    expect(res.body.available).toBe(false);
    expect(res.body.reasons).toEqual([
      { code: 'held', start: at(3, '08:00'), end: at(3, '10:00') },
      { code: 'blackout', start: at(3, '16:00'), end: at(3, '18:00') },
    ]);
    const buffer = await check(item.id, at(3, '11:00'), at(3, '12:00'));
    expect(buffer.body.reasons).toEqual([{ code: 'buffer', start: at(3, '10:00'), end: at(3, '12:00') }]);
    // Our own buffer (2 h for a car) would run into the blackout at 16:00.
    const ownBuffer = await check(item.id, at(3, '12:00'), at(3, '15:00'));
    expect(ownBuffer.body.reasons).toEqual([{ code: 'buffer', start: at(3, '15:00'), end: at(3, '17:00') }]);
    expect((await check(item.id, at(3, '12:00'), at(3, '14:00'))).body.available).toBe(true);
  });

  it('names the rules a slot breaks: notice, past, too short, too long', async () => {
    const item = await createItem(h, { minNoticeMinutes: 48 * 60, minDuration: 'PT2H', maxDuration: 'P2D' });
    const codes = async (start: string, end: string) =>
      (await check(item.id, start, end)).body.reasons.map((r: { code: string }) => r.code);
    expect(await codes(at(1, '10:00'), at(1, '13:00'))).toEqual(['min_notice']);
    expect(await codes(at(-1, '10:00'), at(-1, '13:00'))).toEqual(['in_past']);
    expect(await codes(at(5, '10:00'), at(5, '11:00'))).toEqual(['too_short']);
    expect(await codes(at(5, '10:00'), at(8, '10:00'))).toEqual(['too_long']);
  });

  it('accepts an offset whose + arrived as a space in an unencoded query string', async () => {
    const item = await createItem(h);
    const res = await request(h.url).get(
      `/v1/availability?itemId=${item.id}&start=2031-05-01T10:00:00+02:00&end=2031-05-01T12:00:00+02:00`,
    );
    expect(res.status).toBe(200);
    expect(res.body.available).toBe(true);
  });

  it.each([
    ['end before start', (id: string) => [id, at(5, '12:00'), at(5, '10:00')], 422],
    ['an unknown item', () => [randomUUID(), at(5, '10:00'), at(5, '12:00')], 404],
    ['a malformed item id', () => ['42', at(5, '10:00'), at(5, '12:00')], 400],
    ['a time without offset', (id: string) => [id, '2031-01-01T10:00:00', at(5, '12:00')], 400],
    ['a ten-year span', (id: string) => [id, at(5), at(5 + 3653)], 400],
  ])('answers 4xx for %s', async (_what, args, status) => {
    const item = await createItem(h);
    const [itemId, start, end] = args(item.id) as [string, string, string];
    const res = await check(itemId, start, end);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('answers 404 to guests for an inactive item and says inactive to staff', async () => {
    const item = await createItem(h, { active: false });
    expect((await check(item.id, at(5), at(5, '12:00'))).status).toBe(404);
    const staff = await request(h.url)
      .get('/v1/availability')
      .set(h.admin)
      .query({ itemId: item.id, start: at(5), end: at(5, '12:00') });
    expect(staff.body.reasons.map((r: { code: string }) => r.code)).toEqual(['inactive']);
  });
});

describe('searching many items', () => {
  let ids: string[];
  const location = `Search-${Date.now()}`;
  beforeAll(async () => {
    ids = [];
    for (let batch = 0; batch < 10; batch++) {
      const made = await Promise.all(
        Array.from({ length: 50 }, () => createItem(h, { type: 'yacht', location })),
      );
      ids.push(...made.map((m) => m.id));
    }
  });

  it('answers for 500 named items in one call, marking the held one', async () => {
    await holdSlot(ids[7]!, at(20, '10:00'), at(20, '16:00'));
    const res = await request(h.url)
      .post('/v1/availability/search')
      .send({ itemIds: ids, start: at(20, '12:00'), end: at(20, '18:00') });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(500);
    const unavailable = res.body.items.filter((i: { available: boolean }) => !i.available);
    expect(unavailable).toEqual([
      {
        itemId: ids[7],
        available: false,
        reasons: [{ code: 'held', start: at(20, '10:00'), end: at(20, '16:00') }],
      },
    ]);
  });

  it('finds items by type and location', async () => {
    const res = await request(h.url)
      .post('/v1/availability/search')
      .send({ type: 'yacht', location, start: at(21), end: at(21, '16:00') });
    expect(res.status).toBe(200);
    expect(res.body.truncated).toBe(false);
    expect(res.body.items.map((i: { itemId: string }) => i.itemId).sort()).toEqual([...ids].sort());
    const none = await request(h.url)
      .post('/v1/availability/search')
      .send({ type: 'jet', location, start: at(21), end: at(21, '16:00') });
    expect(none.body.items).toEqual([]);
  });

  it('answers as JSON with no ETag, taking an upper-case id for the same item', async () => {
    const res = await request(h.url)
      .post('/v1/availability/search')
      .send({ itemIds: [ids[3]!.toUpperCase(), ids[3]], start: at(23), end: at(23, '16:00') });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.etag).toBeUndefined();
    expect(res.body).toEqual({ items: [{ itemId: ids[3], available: true, reasons: [] }], truncated: false });
  });

  it('hides an inactive item from guests with 404 and explains it to staff', async () => {
    const item = await createItem(h);
    await request(h.url).patch(`/v1/items/${item.id}`).set(h.admin).send({ active: false }).expect(200);
    const body = { itemIds: [item.id, ids[4]], start: at(24), end: at(24, '16:00') };
    expect((await request(h.url).post('/v1/availability/search').send(body)).status).toBe(404);
    const staff = await request(h.url).post('/v1/availability/search').set(h.admin).send(body);
    expect(staff.status).toBe(200);
    const inactive = staff.body.items.find((i: { itemId: string }) => i.itemId === item.id);
    expect(inactive.reasons.map((r: { code: string }) => r.code)).toEqual(['inactive']);
  });

  it('refuses 501 items, mixed selectors, unknown ids and bad times with 4xx', async () => {
    const base = { start: at(22), end: at(22, '16:00') };
    const tooMany = await request(h.url)
      .post('/v1/availability/search')
      .send({ ...base, itemIds: [...ids, randomUUID()] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].field).toBe('itemIds');
    expect(
      (
        await request(h.url)
          .post('/v1/availability/search')
          .send({ ...base, itemIds: ids.slice(0, 2), type: 'car' })
      ).status,
    ).toBe(400);
    expect(
      (
        await request(h.url)
          .post('/v1/availability/search')
          .send({ ...base, itemIds: [randomUUID()] })
      ).status,
    ).toBe(404);
    expect(
      (
        await request(h.url)
          .post('/v1/availability/search')
          .send({ itemIds: ids.slice(0, 2), start: base.end, end: base.start })
      ).status,
    ).toBe(422);
    expect(
      (
        await request(h.url)
          .post('/v1/availability/search')
          .send({ itemIds: ids.slice(0, 2), start: 'tomorrow', end: base.end })
      ).status,
    ).toBe(400);
  });
});

describe('an item calendar', () => {
  it('shows admins and concierges of the location what and whose, and guests, customers, concierges of another location or without one only anonymous busy blocks', async () => {
    const item = await createItem(h);
    const held = await holdSlot(item.id, at(30, '08:00'), at(30, '10:00'));
    await request(h.url)
      .post(`/v1/items/${item.id}/blackouts`)
      .set(h.admin)
      .send({ start: at(31, '00:00'), end: at(32, '00:00'), reason: 'annual service' })
      .expect(201);
    const window = { from: at(29), to: at(33) };

    const staff = await request(h.url).get(`/v1/items/${item.id}/calendar`).set(h.admin).query(window);
    expect(staff.status).toBe(200);
    expect(staff.body.entries).toEqual([
      expect.objectContaining({
        kind: 'hold',
        start: at(30, '08:00'),
        end: at(30, '10:00'),
        allocationId: held.id,
        expiresAt: expect.any(String),
      }),
      expect.objectContaining({ kind: 'buffer', start: at(30, '10:00'), end: at(30, '12:00') }),
      expect.objectContaining({
        kind: 'blackout',
        start: at(31, '00:00'),
        end: at(32, '00:00'),
        reason: 'annual service',
      }),
    ]);

    const monaco = bearer(await signToken({ role: 'concierge', location: 'Monaco' }));
    const local = await request(h.url).get(`/v1/items/${item.id}/calendar`).set(monaco).query(window);
    expect(local.body.entries).toEqual(staff.body.entries);

    const customer = bearer(await signToken({ role: 'customer' }));
    const elsewhere = bearer(await signToken({ role: 'concierge', location: 'Dubai' }));
    const noLocation = bearer(await signToken({ role: 'concierge' }));
    for (const who of [{}, customer, elsewhere, noLocation]) {
      const res = await request(h.url).get(`/v1/items/${item.id}/calendar`).set(who).query(window);
      expect(res.body.entries).toEqual([
        { kind: 'hold', start: at(30, '08:00'), end: at(30, '10:00') },
        { kind: 'buffer', start: at(30, '10:00'), end: at(30, '12:00') },
        { kind: 'blackout', start: at(31, '00:00'), end: at(32, '00:00') },
      ]);
    }
  });

  it('refuses a window over a year and answers 404 for an unknown item', async () => {
    const item = await createItem(h);
    expect(
      (
        await request(h.url)
          .get(`/v1/items/${item.id}/calendar`)
          .query({ from: at(1), to: at(800) })
      ).status,
    ).toBe(400);
    expect(
      (
        await request(h.url)
          .get(`/v1/items/${randomUUID()}/calendar`)
          .query({ from: at(1), to: at(8) })
      ).status,
    ).toBe(404);
  });
});
