/**
 * A lapsed hold frees its slot within TTL + 2 s by its delayed job, and by the lazy path when
 * the job is gone. The sweep is slowed to an hour here, so it cannot be what frees the slot.
 */
import request from 'supertest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { jobId } from '@midas/jobs';
import { eventually } from '@midas/testing';
import { startAvailability, createItem, at, type Harness } from '../harness';
import { HOLDS_QUEUE } from '../../src/jobs/hold-expiry';

const TTL_SECONDS = 10;
let h: Harness;
let redis: Redis;
let queue: Queue;

beforeAll(async () => {
  h = await startAvailability(
    { HOLD_TTL_SECONDS: String(TTL_SECONDS) },
    { sweepEveryMs: 3_600_000, watchdogEveryMs: 3_600_000 },
  );
  redis = new Redis(h.env.cfg.REDIS_URL, { maxRetriesPerRequest: null });
  queue = new Queue(HOLDS_QUEUE, { connection: redis, prefix: `${h.env.namespace}bull` });
});
afterAll(async () => {
  await queue.close();
  redis.disconnect();
  await h.stop();
});

async function row(id: string) {
  const r = await h.service.ctx.pool.query(
    'SELECT active, ended_reason FROM availability.allocations WHERE id = $1',
    [id],
  );
  return r.rows[0] as { active: boolean; ended_reason: string | null };
}

async function expiredEvents(holdId: string): Promise<number> {
  const r = await h.service.ctx.pool.query(
    `SELECT count(*)::int AS n FROM availability.outbox WHERE type = 'hold.expired' AND data->>'holdId' = $1`,
    [holdId],
  );
  return r.rows[0].n;
}

describe('hold expiry', () => {
  it('ends a hold by its delayed job within TTL + 2 s, announcing hold.expired once', async () => {
    const item = await createItem(h);
    const slot = { itemId: item.id, start: at(3, '10:00'), end: at(3, '12:00') };
    const held = await request(h.url).post('/v1/holds').send(slot);
    expect(held.status).toBe(201);
    const job = await queue.getJob(jobId('hold-expiry', held.body.id, Date.parse(held.body.expiresAt)));
    expect(job).toBeDefined();
    const deadline = Date.parse(held.body.expiresAt) + 2_000;
    await eventually(async () => (await row(held.body.id)).active === false, TTL_SECONDS * 1000 + 4_000, 100);
    expect(Date.now()).toBeLessThanOrEqual(deadline);
    expect(await row(held.body.id)).toEqual({ active: false, ended_reason: 'expired' });
    expect((await request(h.url).post('/v1/holds').send(slot)).status).toBe(201);
    expect(await expiredEvents(held.body.id)).toBe(1);
  });

  it('frees the slot at TTL through the lazy path when the job was removed', async () => {
    const item = await createItem(h);
    const slot = { itemId: item.id, start: at(4, '10:00'), end: at(4, '12:00') };
    const held = await request(h.url).post('/v1/holds').send(slot);
    expect(held.status).toBe(201);
    const removed = await queue.remove(jobId('hold-expiry', held.body.id, Date.parse(held.body.expiresAt)));
    expect(removed).toBe(1);
    expect((await request(h.url).post('/v1/holds').send(slot)).status).toBe(409);
    const expiresAt = Date.parse(held.body.expiresAt);
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now())));
    // Nothing has ended the row: only the next hold's own transaction will.
    expect((await row(held.body.id)).active).toBe(true);
    const availability = await request(h.url)
      .get('/v1/availability')
      .query({ itemId: item.id, start: slot.start, end: slot.end });
    expect(availability.body).toEqual({ available: true, reasons: [] });
    const again = await request(h.url).post('/v1/holds').send(slot);
    expect(again.status).toBe(201);
    expect(Date.now()).toBeLessThanOrEqual(expiresAt + 2_000);
    expect(await row(held.body.id)).toEqual({ active: false, ended_reason: 'expired' });
    expect(await expiredEvents(held.body.id)).toBe(1);
  });
});
