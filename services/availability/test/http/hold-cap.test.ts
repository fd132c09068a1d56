import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { availabilityRpc } from '@midas/contracts';
import { bearer, signToken } from '@midas/testing';
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
beforeAll(async () => {
  h = await startAvailability({ MAX_ACTIVE_HOLDS_PER_HOLDER: '3' });
  booking = await startBookingSide(h);
});
afterAll(async () => {
  await booking.stop();
  await h.stop();
});

const slot = (itemId: string, day: number) => ({ itemId, start: at(day, '10:00'), end: at(day, '12:00') });
const fromGuest = (ip: string) => ({ 'x-forwarded-for': ip });

describe('MAX_ACTIVE_HOLDS_PER_HOLDER', () => {
  it('gives a guest address at most the cap of live holds, then 429 too_many_active_holds with Retry-After', async () => {
    const item = await createItem(h);
    const statuses: number[] = [];
    let refused: request.Response | undefined;
    for (let day = 2; day < 7; day++) {
      const res = await request(h.url)
        .post('/v1/holds')
        .set(fromGuest('203.0.113.10'))
        .send(slot(item.id, day));
      statuses.push(res.status);
      if (res.status === 429) refused ??= res;
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    expect(refused!.headers['content-type']).toMatch(/problem\+json/);
    expect(refused!.body).toMatchObject({
      status: 429,
      code: 'too_many_active_holds',
      type: 'https://midas.dev/problems/too-many-active-holds',
      limit: 3,
    });
    const retryAfter = Number(refused!.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // Another address is not affected.
    expect(
      (await request(h.url).post('/v1/holds').set(fromGuest('203.0.113.11')).send(slot(item.id, 9))).status,
    ).toBe(201);
  });

  it('frees room when a hold is released', async () => {
    const item = await createItem(h);
    const guest = fromGuest('203.0.113.20');
    const held = [];
    for (let day = 2; day < 5; day++)
      held.push((await request(h.url).post('/v1/holds').set(guest).send(slot(item.id, day))).body);
    expect((await request(h.url).post('/v1/holds').set(guest).send(slot(item.id, 6))).status).toBe(429);
    await request(h.url)
      .delete(`/v1/holds/${held[0].id}`)
      .query({ holdToken: held[0].holdToken })
      .expect(204);
    expect((await request(h.url).post('/v1/holds').set(guest).send(slot(item.id, 6))).status).toBe(201);
  });

  it('counts a customer by subject wherever they come from, holds behind unpaid bookings included', async () => {
    const item = await createItem(h);
    const customer = bearer(await signToken({ role: 'customer', sub: 'cap-customer' }));
    // Two unpaid bookings hold their slots through booking's RPC.
    for (const day of [2, 3]) {
      await booking.broker.call(
        availabilityRpc.hold,
        { ...slot(item.id, day), ref: randomUUID(), holderSub: 'cap-customer' },
        { timeoutMs: 10_000 },
      );
    }
    const first = await request(h.url)
      .post('/v1/holds')
      .set(customer)
      .set(fromGuest('198.51.100.1'))
      .send(slot(item.id, 4));
    expect(first.status).toBe(201);
    const over = await request(h.url)
      .post('/v1/holds')
      .set(customer)
      .set(fromGuest('198.51.100.2'))
      .send(slot(item.id, 5));
    expect(over.status).toBe(429);
    await expect(
      booking.broker.call(
        availabilityRpc.hold,
        { ...slot(item.id, 6), ref: randomUUID(), holderSub: 'cap-customer' },
        { timeoutMs: 10_000 },
      ),
    ).rejects.toMatchObject({ status: 429, code: 'too_many_active_holds' });
  });

  it('cannot be raced: twenty concurrent holds from one address on different slots give exactly the cap', async () => {
    const item = await createItem(h);
    const guest = fromGuest('203.0.113.30');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(h.url)
          .post('/v1/holds')
          .set(guest)
          .send({ itemId: item.id, start: at(10 + i, '10:00'), end: at(10 + i, '12:00') }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(17);
  });
});
