import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { bearer, signToken } from '@midas/testing';
import { startAvailability, createItem, at, type Harness } from '../harness';

let h: Harness;
let concierge: { Authorization: string };
beforeAll(async () => {
  h = await startAvailability();
  concierge = bearer(await signToken({ role: 'concierge', sub: 'concierge-1', location: 'Monaco' }));
});
afterAll(() => h.stop());

const blackout = (itemId: string, body: Record<string, unknown>, who: Record<string, string>) =>
  request(h.url).post(`/v1/items/${itemId}/blackouts`).set(who).send(body);

describe('blackouts', () => {
  it('lets admins and concierges block an item, which then refuses holds until the blackout is deleted', async () => {
    const item = await createItem(h);
    const created = await blackout(
      item.id,
      { start: at(3, '00:00'), end: at(4, '00:00'), reason: 'engine service' },
      concierge,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      itemId: item.id,
      start: at(3, '00:00'),
      end: at(4, '00:00'),
      reason: 'engine service',
      affectedBookingIds: [],
    });
    const slot = { itemId: item.id, start: at(3, '10:00'), end: at(3, '12:00') };
    const refused = await request(h.url).post('/v1/holds').send(slot);
    expect(refused.status).toBe(409);
    expect(refused.body.reasons[0].code).toBe('blackout');
    expect(
      (await request(h.url).delete(`/v1/items/${item.id}/blackouts/${created.body.id}`).set(h.admin)).status,
    ).toBe(204);
    expect(
      (await request(h.url).delete(`/v1/items/${item.id}/blackouts/${created.body.id}`).set(h.admin)).status,
    ).toBe(404);
    expect((await request(h.url).post('/v1/holds').send(slot)).status).toBe(201);
  });

  it('refuses guests (401), customers (403), and concierges of another location (403)', async () => {
    const item = await createItem(h, { location: 'Dubai', timezone: 'Asia/Dubai' });
    const body = { start: at(3), end: at(4), reason: 'x' };
    expect((await blackout(item.id, body, {})).status).toBe(401);
    expect((await blackout(item.id, body, bearer(await signToken({ role: 'customer' })))).status).toBe(403);
    expect((await blackout(item.id, body, concierge)).status).toBe(403);
  });

  it('refuses a concierge without a location claim (403) to create or lift a blackout on any item', async () => {
    const noLocation = bearer(await signToken({ role: 'concierge', sub: 'concierge-anywhere' }));
    const item = await createItem(h);
    const body = { start: at(20, '00:00'), end: at(21, '00:00'), reason: 'owner use' };
    const refused = await blackout(item.id, body, noLocation);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/without a location/);
    const created = await blackout(item.id, body, concierge);
    expect(created.status).toBe(201);
    const path = `/v1/items/${item.id}/blackouts/${created.body.id}`;
    expect((await request(h.url).delete(path).set(noLocation)).status).toBe(403);
    const dubai = bearer(await signToken({ role: 'concierge', location: 'Dubai' }));
    expect((await request(h.url).delete(path).set(dubai)).status).toBe(403);
    expect((await request(h.url).delete(path).set(concierge)).status).toBe(204);
  });

  it('answers 409 for a blackout over a hold, lets only an admin force it, and frees the hold', async () => {
    const item = await createItem(h);
    const held = await request(h.url)
      .post('/v1/holds')
      .send({ itemId: item.id, start: at(5, '10:00'), end: at(5, '12:00') });
    expect(held.status).toBe(201);
    const body = { start: at(5, '00:00'), end: at(6, '00:00'), reason: 'storm damage' };
    const refused = await blackout(item.id, body, concierge);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('overlaps_hold');
    expect((await blackout(item.id, { ...body, force: true }, concierge)).status).toBe(403);
    const forced = await blackout(item.id, { ...body, force: true }, h.admin);
    expect(forced.status).toBe(201);
    const calendar = await request(h.url)
      .get(`/v1/items/${item.id}/calendar`)
      .set(h.admin)
      .query({ from: at(4), to: at(7) });
    expect(calendar.body.entries.map((e: { kind: string }) => e.kind)).toEqual(['blackout']);
  });

  it('refuses a blackout overlapping another one, even forced', async () => {
    const item = await createItem(h);
    expect(
      (await blackout(item.id, { start: at(8, '00:00'), end: at(9, '00:00'), reason: 'a' }, h.admin)).status,
    ).toBe(201);
    const again = await blackout(
      item.id,
      { start: at(8, '12:00'), end: at(10, '00:00'), reason: 'b', force: true },
      h.admin,
    );
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('overlaps_blackout');
  });

  it('answers 4xx for bad periods, unknown items and unknown blackouts', async () => {
    const item = await createItem(h);
    expect((await blackout(item.id, { start: at(4), end: at(3), reason: 'x' }, h.admin)).status).toBe(422);
    expect((await blackout(item.id, { start: at(3), end: at(4) }, h.admin)).status).toBe(400);
    expect(
      (await blackout(item.id, { start: at(3), end: at(4), reason: 'x', extra: 1 }, h.admin)).status,
    ).toBe(400);
    expect((await blackout(randomUUID(), { start: at(3), end: at(4), reason: 'x' }, h.admin)).status).toBe(
      404,
    );
    expect(
      (await request(h.url).delete(`/v1/items/${item.id}/blackouts/${randomUUID()}`).set(h.admin)).status,
    ).toBe(404);
  });
});
