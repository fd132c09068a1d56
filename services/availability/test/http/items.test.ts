import request from 'supertest';
import { bearer, signToken } from '@midas/testing';
import { startAvailability, itemBody, createItem, type Harness } from '../harness';

let h: Harness;
beforeAll(async () => {
  h = await startAvailability();
});
afterAll(() => h.stop());

describe('items', () => {
  it('lets an admin create an item, with the buffer and durations of its type by default', async () => {
    for (const [type, buffer] of [
      ['car', 120],
      ['yacht', 240],
      ['jet', 360],
      ['property', 720],
    ] as const) {
      const res = await request(h.url).post('/v1/items').set(h.admin).send(itemBody({ type }));
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/v1/items/${res.body.id}`);
      expect(res.body).toMatchObject({ type, bufferMinutes: buffer, minNoticeMinutes: 0, active: true });
      expect(res.body.minDuration).toMatch(/^P/);
    }
  });

  it('keeps an explicit buffer, notice and duration limits', async () => {
    const res = await request(h.url)
      .post('/v1/items')
      .set(h.admin)
      .send(itemBody({ bufferMinutes: 30, minNoticeMinutes: 90, minDuration: 'PT2H', maxDuration: 'P3D' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      bufferMinutes: 30,
      minNoticeMinutes: 90,
      minDuration: 'PT2H',
      maxDuration: 'P3D',
    });
  });

  it('refuses guests with 401 and customers and concierges with 403', async () => {
    expect((await request(h.url).post('/v1/items').send(itemBody())).status).toBe(401);
    const customer = bearer(await signToken({ role: 'customer' }));
    expect((await request(h.url).post('/v1/items').set(customer).send(itemBody())).status).toBe(403);
    const concierge = bearer(await signToken({ role: 'concierge' }));
    expect((await request(h.url).post('/v1/items').set(concierge).send(itemBody())).status).toBe(403);
  });

  it.each([
    ['an unknown field', { colour: 'red' }, 'colour'],
    ['an unknown type', { type: 'helicopter' }, 'type'],
    ['a made-up time zone', { timezone: 'Mars/Olympus' }, 'timezone'],
    ['an unknown currency', { currency: 'XYZ' }, 'currency'],
    ['a negative rate', { rate: { unit: 'day', amount: -1 } }, 'rate.amount'],
    ['a fractional buffer', { bufferMinutes: 1.5 }, 'bufferMinutes'],
    ['a duration that is not ISO 8601', { minDuration: '2 hours' }, 'minDuration'],
    ['a minimum longer than the maximum', { minDuration: 'P3D', maxDuration: 'P1D' }, 'maxDuration'],
    ['an empty name', { name: '  ' }, 'name'],
  ])('answers 400 naming the field for %s', async (_what, overrides, field) => {
    const res = await request(h.url).post('/v1/items').set(h.admin).send(itemBody(overrides));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('reads an item by id and answers 404 for unknown or malformed ids', async () => {
    const item = await createItem(h);
    const res = await request(h.url).get(`/v1/items/${item.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(item);
    expect((await request(h.url).get('/v1/items/7b0c2f44-5a55-4d5e-9a43-111111111111')).status).toBe(404);
    expect((await request(h.url).get('/v1/items/not-a-uuid')).status).toBe(400);
  });

  it('lets an admin change any field, and refuses an empty change', async () => {
    const item = await createItem(h);
    const res = await request(h.url)
      .patch(`/v1/items/${item.id}`)
      .set(h.admin)
      .send({
        name: 'Renamed',
        bufferMinutes: 60,
        rate: { unit: 'hour', amount: 9000 },
        location: 'Dubai',
        timezone: 'Asia/Dubai',
      });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Renamed',
      bufferMinutes: 60,
      rate: { unit: 'hour', amount: 9000 },
      location: 'Dubai',
    });
    expect((await request(h.url).patch(`/v1/items/${item.id}`).set(h.admin).send({})).status).toBe(400);
    expect(
      (await request(h.url).patch(`/v1/items/${item.id}`).set(h.admin).send({ timezone: 'Nowhere' })).status,
    ).toBe(400);
    expect(
      (
        await request(h.url)
          .patch('/v1/items/7b0c2f44-5a55-4d5e-9a43-111111111111')
          .set(h.admin)
          .send({ name: 'x' })
      ).status,
    ).toBe(404);
  });

  it('hides inactive items from everyone but staff', async () => {
    const item = await createItem(h);
    await request(h.url).patch(`/v1/items/${item.id}`).set(h.admin).send({ active: false }).expect(200);
    expect((await request(h.url).get(`/v1/items/${item.id}`)).status).toBe(404);
    expect((await request(h.url).get(`/v1/items/${item.id}`).set(h.admin)).status).toBe(200);
  });

  it('lists items by type and location, page by page with an opaque cursor', async () => {
    const location = `Aspen-${Date.now()}`;
    const made = [];
    for (let i = 0; i < 5; i++)
      made.push(
        await createItem(h, { type: 'property', location, timezone: 'America/Denver', currency: 'USD' }),
      );
    await createItem(h, { type: 'car', location });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(h.url)
        .get('/v1/items')
        .query({ type: 'property', location, limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      for (const it of res.body.items) expect(it).toMatchObject({ type: 'property', location });
      seen.push(...res.body.items.map((it: { id: string }) => it.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(made.map((m) => m.id).sort());
  });

  it('refuses a forged cursor and a limit over 200', async () => {
    expect((await request(h.url).get('/v1/items').query({ cursor: 'bm9wZQ' })).status).toBe(400);
    expect((await request(h.url).get('/v1/items').query({ limit: 201 })).status).toBe(400);
    expect((await request(h.url).get('/v1/items').query({ type: 'boat' })).status).toBe(400);
  });
});
