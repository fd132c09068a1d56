import request from 'supertest';
import { createPool } from '@midas/db';
import { bearer, signToken } from '@midas/testing';
import { startAvailability, createItem, at, type Harness } from '../harness';

let h: Harness;
beforeAll(async () => {
  h = await startAvailability({ HOLD_TTL_SECONDS: '600' });
});
afterAll(() => h.stop());

const hold = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  request(h.url).post('/v1/holds').set(headers).send(body);

describe('holds', () => {
  it('holds a free slot for HOLD_TTL_SECONDS and refuses a second hold on an overlapping slot', async () => {
    const item = await createItem(h);
    const before = Date.now();
    const first = await hold({ itemId: item.id, start: at(3, '10:00'), end: at(3, '12:00') });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ itemId: item.id, start: at(3, '10:00'), end: at(3, '12:00') });
    const ttl = (Date.parse(first.body.expiresAt) - before) / 1000;
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThan(610);
    const second = await hold({ itemId: item.id, start: at(3, '11:00'), end: at(3, '13:00') });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('slot_taken');
    expect(second.body.reasons).toEqual([{ code: 'held', start: at(3, '10:00'), end: at(3, '12:00') }]);
  });

  it('keeps a car busy for its 2-hour buffer: a hold starting 13:59 after a 12:00 end is refused, 14:00 is allowed', async () => {
    const item = await createItem(h, { type: 'car' });
    expect((await hold({ itemId: item.id, start: at(4, '08:00'), end: at(4, '12:00') })).status).toBe(201);
    const early = await hold({ itemId: item.id, start: at(4, '13:59'), end: at(4, '16:00') });
    expect(early.status).toBe(409);
    expect(early.body.reasons).toEqual([{ code: 'buffer', start: at(4, '12:00'), end: at(4, '14:00') }]);
    expect((await hold({ itemId: item.id, start: at(4, '14:00'), end: at(4, '16:00') })).status).toBe(201);
  });

  it('returns times in UTC whatever offset they were given in', async () => {
    const item = await createItem(h);
    const res = await hold({
      itemId: item.id,
      start: '2031-03-01T12:00:00+02:00',
      end: '2031-03-01T15:30:00+02:00',
    });
    expect(res.status).toBe(201);
    expect(res.body.start).toBe('2031-03-01T10:00:00.000Z');
    expect(res.body.end).toBe('2031-03-01T13:30:00.000Z');
  });

  it.each([
    ['end before start', (id: string) => ({ itemId: id, start: at(5, '12:00'), end: at(5, '10:00') }), 422],
    ['end equal to start', (id: string) => ({ itemId: id, start: at(5, '12:00'), end: at(5, '12:00') }), 422],
    [
      'an unknown item',
      () => ({ itemId: '7b0c2f44-5a55-4d5e-9a43-111111111111', start: at(5), end: at(5, '12:00') }),
      404,
    ],
    [
      'a time without offset',
      (id: string) => ({ itemId: id, start: '2031-01-01T10:00:00', end: at(5, '12:00') }),
      400,
    ],
    ['a date-only time', (id: string) => ({ itemId: id, start: '2031-01-01', end: at(5, '12:00') }), 400],
    [
      'an impossible date',
      (id: string) => ({ itemId: id, start: '2031-02-30T10:00:00Z', end: '2031-03-01T10:00:00Z' }),
      400,
    ],
    ['a ten-year span', (id: string) => ({ itemId: id, start: at(5), end: at(5 + 3653) }), 400],
    [
      'a span longer than the item allows',
      (id: string) => ({ itemId: id, start: at(5), end: at(5 + 40) }),
      422,
    ],
    ['a start in the past', (id: string) => ({ itemId: id, start: at(-1), end: at(1) }), 422],
    ['an unknown field', (id: string) => ({ itemId: id, start: at(5), end: at(5, '12:00'), price: 1 }), 400],
    ['a numeric time', (id: string) => ({ itemId: id, start: 1_900_000_000, end: at(5, '12:00') }), 400],
  ])('answers 4xx and holds nothing for %s', async (_what, body, status) => {
    const item = await createItem(h);
    const res = await hold(body(item.id));
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const calendar = await request(h.url)
      .get(`/v1/items/${item.id}/calendar`)
      .set(h.admin)
      .query({ from: at(-2), to: at(300) });
    expect(calendar.body.entries).toEqual([]);
  });

  it('refuses a start inside the minimum notice with 422 min_notice', async () => {
    const item = await createItem(h, { minNoticeMinutes: 3 * 24 * 60 });
    const res = await hold({ itemId: item.id, start: at(2), end: at(2, '12:00') });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('min_notice');
  });

  it('answers a repeated Idempotency-Key with the first response, and 409 when the body differs', async () => {
    const item = await createItem(h);
    const key = `key-${Date.now()}`;
    const body = { itemId: item.id, start: at(6, '10:00'), end: at(6, '12:00') };
    const first = await hold(body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    // The same instants written with another offset are the same request.
    const again = await hold(
      { ...body, start: body.start.replace('Z', '+00:00'), end: body.end.replace('Z', '+00:00') },
      { 'Idempotency-Key': key },
    );
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const other = await hold({ ...body, end: at(6, '13:00') }, { 'Idempotency-Key': key });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_key_reused');
  });

  it('does not replay one caller key to another caller', async () => {
    const item = await createItem(h);
    const key = `shared-${Date.now()}`;
    const alice = bearer(await signToken({ sub: 'alice' }));
    const bob = bearer(await signToken({ sub: 'bob' }));
    const a = await hold(
      { itemId: item.id, start: at(7, '10:00'), end: at(7, '12:00') },
      { ...alice, 'Idempotency-Key': key },
    );
    expect(a.status).toBe(201);
    const b = await hold(
      { itemId: item.id, start: at(7, '10:00'), end: at(7, '12:00') },
      { ...bob, 'Idempotency-Key': key },
    );
    expect(b.status).toBe(409);
    expect(b.body.code).toBe('slot_taken');
  });

  it('runs concurrent requests with one Idempotency-Key once', async () => {
    const item = await createItem(h);
    const key = `race-${Date.now()}`;
    const body = { itemId: item.id, start: at(8, '10:00'), end: at(8, '12:00') };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => hold(body, { 'Idempotency-Key': key })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
  });

  it('refuses a malformed Idempotency-Key: longer than 255 characters or not visible ASCII', async () => {
    const item = await createItem(h);
    for (const key of ['x'.repeat(256), 'with space']) {
      const res = await hold(
        { itemId: item.id, start: at(9), end: at(9, '12:00') },
        { 'Idempotency-Key': key },
      );
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key', in: 'header' })]);
    }
    const longest = await hold(
      { itemId: item.id, start: at(9), end: at(9, '12:00') },
      { 'Idempotency-Key': 'x'.repeat(255) },
    );
    expect(longest.status).toBe(201);
  });

  describe('guest keys', () => {
    const fromIp = (ip: string) => ({ 'X-Forwarded-For': ip });
    const keptResponse = async (key: string): Promise<unknown[]> => {
      const pool = createPool(h.env.cfg.DATABASE_URL, { max: 1 });
      try {
        const found = await pool.query('SELECT response FROM availability.hold_requests WHERE key = $1', [
          key,
        ]);
        return found.rows.map((r: { response: unknown }) => r.response);
      } finally {
        await pool.end();
      }
    };

    it('does not give a second guest with the same key and body the first guest hold or its token', async () => {
      const item = await createItem(h);
      const key = `guest-${Date.now()}`;
      const body = { itemId: item.id, start: at(12, '10:00'), end: at(12, '12:00') };
      const first = await hold(body, { ...fromIp('203.0.113.7'), 'Idempotency-Key': key });
      expect(first.status).toBe(201);
      expect(first.body.holdToken).toEqual(expect.any(String));
      const second = await hold(body, { ...fromIp('198.51.100.9'), 'Idempotency-Key': key });
      expect(second.status).toBe(409);
      expect(second.body.code).toBe('slot_taken');
      expect(JSON.stringify(second.body)).not.toContain(first.body.holdToken);
    });

    it('replays to the same guest a response whose holdToken works, while storing no token', async () => {
      const item = await createItem(h);
      const key = `replay-${Date.now()}`;
      const body = { itemId: item.id, start: at(13, '10:00'), end: at(13, '12:00') };
      const first = await hold(body, { ...fromIp('203.0.113.8'), 'Idempotency-Key': key });
      const again = await hold(body, { ...fromIp('203.0.113.8'), 'Idempotency-Key': key });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      const kept = await keptResponse(key);
      expect(kept).toHaveLength(1);
      expect(JSON.stringify(kept)).not.toContain(first.body.holdToken);
      expect(kept[0]).not.toHaveProperty('holdToken');
      const released = await request(h.url)
        .delete(`/v1/holds/${again.body.id}`)
        .query({ holdToken: again.body.holdToken });
      expect(released.status).toBe(204);
    });

    it('forgets a key after 24 hours: the same key then makes a new request', async () => {
      const item = await createItem(h);
      const key = `old-${Date.now()}`;
      const first = await hold(
        { itemId: item.id, start: at(14, '10:00'), end: at(14, '12:00') },
        { ...fromIp('203.0.113.9'), 'Idempotency-Key': key },
      );
      expect(first.status).toBe(201);
      const pool = createPool(h.env.cfg.DATABASE_URL, { max: 1 });
      try {
        await pool.query(
          "UPDATE availability.hold_requests SET created_at = now() - interval '25 hours' WHERE key = $1",
          [key],
        );
      } finally {
        await pool.end();
      }
      const other = await hold(
        { itemId: item.id, start: at(15, '10:00'), end: at(15, '12:00') },
        { ...fromIp('203.0.113.9'), 'Idempotency-Key': key },
      );
      expect(other.status).toBe(201);
      expect(other.body.id).not.toBe(first.body.id);
    });
  });

  it('gives guests a holdToken that releases the hold; anyone else is told it does not exist', async () => {
    const item = await createItem(h);
    const slot = { itemId: item.id, start: at(10, '10:00'), end: at(10, '12:00') };
    const res = await hold(slot);
    expect(res.body.holdToken).toEqual(expect.any(String));
    expect((await request(h.url).delete(`/v1/holds/${res.body.id}`)).status).toBe(404);
    expect(
      (await request(h.url).delete(`/v1/holds/${res.body.id}`).query({ holdToken: 'guess' })).status,
    ).toBe(404);
    const stranger = bearer(await signToken({ sub: 'stranger' }));
    expect((await request(h.url).delete(`/v1/holds/${res.body.id}`).set(stranger)).status).toBe(404);
    expect(
      (await request(h.url).delete(`/v1/holds/${res.body.id}`).query({ holdToken: res.body.holdToken }))
        .status,
    ).toBe(204);
    expect((await hold(slot)).status).toBe(201);
  });

  it('lets a signed-in holder release their hold without a token, twice harmlessly', async () => {
    const item = await createItem(h);
    const me = bearer(await signToken({ sub: 'carol' }));
    const slot = { itemId: item.id, start: at(11, '10:00'), end: at(11, '12:00') };
    const res = await hold(slot, me);
    expect(res.status).toBe(201);
    expect(res.body.holdToken).toBeUndefined();
    expect((await request(h.url).delete(`/v1/holds/${res.body.id}`).set(me)).status).toBe(204);
    expect((await request(h.url).delete(`/v1/holds/${res.body.id}`).set(me)).status).toBe(204);
    expect((await hold(slot)).status).toBe(201);
  });
});
