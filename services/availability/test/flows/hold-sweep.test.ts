/**
 * Redis lost everything (simulated by deleting this namespace's BullMQ keys): the hold's delayed
 * job and the sweep's scheduler are gone. The watchdog brings the sweep back, and the sweep ends
 * the hold within TTL + 2 s without anyone asking for the slot, announcing hold.expired once.
 */
import request from 'supertest';
import { clearRedisNamespace, eventually } from '@midas/testing';
import {
  startAvailability,
  startBookingSide,
  createItem,
  at,
  type BookingSide,
  type Harness,
} from '../harness';

const TTL_SECONDS = 10;
let h: Harness;
let booking: BookingSide;

beforeAll(async () => {
  h = await startAvailability(
    { HOLD_TTL_SECONDS: String(TTL_SECONDS) },
    { sweepEveryMs: 500, watchdogEveryMs: 500 },
  );
  booking = await startBookingSide(h);
});
afterAll(async () => {
  await booking.stop();
  await h.stop();
});

describe('the hold sweep', () => {
  it('ends a lapsed hold whose job Redis lost, within TTL + 2 s, announcing it once', async () => {
    const item = await createItem(h);
    const slot = { itemId: item.id, start: at(3, '10:00'), end: at(3, '12:00') };
    const held = await request(h.url).post('/v1/holds').send(slot);
    expect(held.status).toBe(201);
    await clearRedisNamespace(`${h.env.namespace}bull`);
    const expiresAt = Date.parse(held.body.expiresAt);
    const ended = async () => {
      const r = await h.service.ctx.pool.query(
        'SELECT active, ended_reason FROM availability.allocations WHERE id = $1',
        [held.body.id],
      );
      return r.rows[0].active === false && r.rows[0].ended_reason === 'expired';
    };
    await eventually(ended, TTL_SECONDS * 1000 + 4_000, 100);
    expect(Date.now()).toBeLessThanOrEqual(expiresAt + 2_000);
    const events = await eventually(async () => {
      const found = booking.received.filter(
        (e) => e.type === 'hold.expired' && e.data.holdId === held.body.id,
      );
      return found.length ? found : undefined;
    });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(
      booking.received.filter((e) => e.type === 'hold.expired' && e.data.holdId === held.body.id),
    ).toEqual(events);
    expect(events).toHaveLength(1);
    expect((await request(h.url).post('/v1/holds').send(slot)).status).toBe(201);
  });
});
