/**
 * Races and retries: twenty concurrent retries of one Idempotency-Key make one booking, two at
 * once one booking on one hold, and a retry after an attempt died with its claim finishes it; every
 * illegal transition is a 409 that changes nothing; of two conflicting transitions exactly one wins.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { requestHash } from '@midas/http';
import { clearRedisNamespace } from '@midas/testing';
import { addConcierge, at, call, createItem, startStack, token, type Stack } from '../harness';

let stack: Stack;
let pool: Pool;
let itemId: string;
let soonItemId: string;
const t: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  pool = new Pool({ connectionString: stack.env.cfg.DATABASE_URL, max: 2 });
  itemId = (await createItem(stack, { location: 'monaco' })).id;
  soonItemId = (await createItem(stack, { location: 'monaco', bufferMinutes: 0, minDuration: 'PT1M' })).id;
  await addConcierge(stack, 'conc-1', 'monaco', 100);
  t.alice = await token({ role: 'customer', sub: 'alice' });
  t.concierge = await token({ role: 'concierge', sub: 'conc-1', location: 'monaco' });
  t.admin = await token({ role: 'admin', sub: 'admin-1' });
}, 120_000);
afterAll(async () => {
  await pool?.end();
  await stack?.stop();
});

let day = 3;
let soon = 0;
/** A paid booking days ahead, or with `checkInOpen` one starting within the hour, when check-in is open. */
async function paidBooking(opts: { checkInOpen?: boolean } = {}): Promise<string> {
  let body: { itemId: string; start: string; end: string };
  if (opts.checkInOpen) {
    // Back to back on an item without buffer, a few minutes from now.
    const start = Date.now() + 5 * 60_000 + soon++ * 120_000;
    body = {
      itemId: soonItemId,
      start: new Date(start).toISOString(),
      end: new Date(start + 120_000).toISOString(),
    };
  } else {
    day += 2;
    body = { itemId, start: at(day), end: at(day + 1) };
  }
  const created = await call(stack, 'POST', '/v1/bookings', { token: t.alice, body });
  expect(created.status).toBe(201);
  const paid = await call(stack, 'POST', `/v1/payments/local/${created.body.id}/confirm`, { token: t.alice });
  expect(paid.body.status).toBe('concierge_assigned');
  return created.body.id as string;
}

async function snapshot(id: string) {
  const booking = await pool.query('SELECT status, version FROM booking.bookings WHERE id = $1', [id]);
  const history = await pool.query(
    'SELECT count(*)::int AS n FROM booking.status_history WHERE booking_id = $1',
    [id],
  );
  const outbox = await pool.query(
    "SELECT count(*)::int AS n FROM booking.outbox WHERE type = 'booking.status_changed' AND data->>'bookingId' = $1",
    [id],
  );
  return { ...booking.rows[0], history: history.rows[0].n, outbox: outbox.rows[0].n };
}

describe('idempotency', () => {
  it('makes one booking from the same Idempotency-Key retried 20 times at once', async () => {
    const body = { itemId, start: at(60), end: at(61) };
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(stack, 'POST', '/v1/bookings', {
          token: t.alice,
          body,
          headers: { 'Idempotency-Key': 'same-key-20' },
        }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    const count = await pool.query('SELECT count(*)::int AS n FROM booking.bookings WHERE start_at = $1', [
      body.start,
    ]);
    expect(count.rows[0].n).toBe(1);

    const other = await call(stack, 'POST', '/v1/bookings', {
      token: t.alice,
      body: { ...body, start: at(62), end: at(63) },
      headers: { 'Idempotency-Key': 'same-key-20' },
    });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_key_reused');
  });

  it('replays a refusal too: the same key after a slot conflict answers 409 again without a new attempt', async () => {
    const body = { itemId, start: at(70), end: at(71) };
    expect((await call(stack, 'POST', '/v1/bookings', { token: t.alice, body })).status).toBe(201);
    const first = await call(stack, 'POST', '/v1/bookings', {
      token: t.alice,
      body,
      headers: { 'Idempotency-Key': 'taken-1' },
    });
    const again = await call(stack, 'POST', '/v1/bookings', {
      token: t.alice,
      body,
      headers: { 'Idempotency-Key': 'taken-1' },
    });
    expect(first.status).toBe(409);
    expect(again).toEqual(first);
  });
});

describe('idempotency claims', () => {
  const holdsOf = async (ref: string) =>
    (await pool.query('SELECT id FROM availability.allocations WHERE ref = $1', [ref])).rows;

  it('answers two identical requests sent at once with one booking on one hold', async () => {
    const body = { itemId, start: at(80), end: at(81) };
    const send = () =>
      call(stack, 'POST', '/v1/bookings', {
        token: t.alice,
        body,
        headers: { 'Idempotency-Key': 'pair-1' },
      });
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body).toEqual(a.body);
    const count = await pool.query('SELECT count(*)::int AS n FROM booking.bookings WHERE start_at = $1', [
      body.start,
    ]);
    expect(count.rows[0].n).toBe(1);
    expect(await holdsOf(a.body.id)).toHaveLength(1);
    const kept = await pool.query(
      "SELECT state, resource_id FROM booking.idempotency_keys WHERE key = 'pair-1'",
    );
    expect(kept.rows).toEqual([{ state: 'done', resource_id: a.body.id }]);
  });

  it('answers from the stored key when Redis lost the claims of a finished request', async () => {
    const body = { itemId, start: at(82), end: at(83) };
    const send = () =>
      call(stack, 'POST', '/v1/bookings', {
        token: t.alice,
        body,
        headers: { 'Idempotency-Key': 'lost-1' },
      });
    const first = await send();
    expect(first.status).toBe(201);
    await clearRedisNamespace(`${stack.env.namespace}claims:`, stack.env.cfg.REDIS_URL);
    const again = await send();
    expect(again).toEqual(first);
    const count = await pool.query('SELECT count(*)::int AS n FROM booking.bookings WHERE start_at = $1', [
      body.start,
    ]);
    expect(count.rows[0].n).toBe(1);
    expect(await holdsOf(first.body.id)).toHaveLength(1);
  });

  it('finishes, with the same booking id and hold, the request of an attempt that died after its claim', async () => {
    const body = { itemId, start: at(84), end: at(85) };
    const key = 'died-1';
    const resourceId = randomUUID();
    // What a process leaves when it dies after claiming the key and holding the slot: the
    // claim's record (its lock lapsed with it) and the hold made for the booking it meant.
    const digest = createHash('sha256').update(`create-booking|customer:alice\n${key}`).digest('hex');
    const redis = new Redis(stack.env.cfg.REDIS_URL);
    try {
      await redis.set(
        `${stack.env.namespace}claims:idempotency:${digest}`,
        JSON.stringify({ hash: requestHash(body), resourceId }),
        'PX',
        60_000,
      );
    } finally {
      redis.disconnect();
    }
    await pool.query(
      `INSERT INTO availability.allocations (item_id, kind, ref, holder_sub, period, blocked, expires_at, created_by)
       VALUES ($1, 'hold', $2, 'alice', tstzrange($3, $4), tstzrange($3, $4), now() + interval '10 minutes', 'booking')`,
      [itemId, resourceId, body.start, body.end],
    );

    const retry = await call(stack, 'POST', '/v1/bookings', {
      token: t.alice,
      body,
      headers: { 'Idempotency-Key': key },
    });
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(resourceId);
    expect(await holdsOf(resourceId)).toHaveLength(1);
    const again = await call(stack, 'POST', '/v1/bookings', {
      token: t.alice,
      body,
      headers: { 'Idempotency-Key': key },
    });
    expect(again).toEqual(retry);
  });
});

describe('transitions', () => {
  const illegal: [string, string][] = [
    ['concierge_assigned', 'completed'],
    ['concierge_assigned', 'confirmed'],
    ['concierge_assigned', 'pending_payment'],
    ['concierge_assigned', 'expired'],
    ['concierge_assigned', 'refunded'],
    ['concierge_assigned', 'no_show'],
    ['concierge_assigned', 'concierge_assigned'],
  ];

  it.each(illegal)('refuses %s -> %s with 409 and changes nothing', async (_from, to) => {
    const id = await paidBooking();
    const before = await snapshot(id);
    const res = await call(stack, 'POST', `/v1/bookings/${id}/status`, {
      token: t.admin,
      body: { status: to },
    });
    expect(res.status).toBe(409);
    expect(await snapshot(id)).toEqual(before);
  });

  it('refuses anything after a final status', async () => {
    const id = await paidBooking({ checkInOpen: true });
    expect(
      (
        await call(stack, 'POST', `/v1/bookings/${id}/status`, {
          token: t.concierge,
          body: { status: 'in_progress' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call(stack, 'POST', `/v1/bookings/${id}/status`, {
          token: t.concierge,
          body: { status: 'completed' },
        })
      ).status,
    ).toBe(200);
    const before = await snapshot(id);
    for (const status of ['in_progress', 'cancelled', 'refunded', 'ready']) {
      const res = await call(stack, 'POST', `/v1/bookings/${id}/status`, {
        token: t.admin,
        body: { status },
      });
      expect(res.status).toBe(409);
    }
    expect(
      (await call(stack, 'POST', `/v1/bookings/${id}/cancel`, { token: t.alice, body: { reason: 'late' } }))
        .status,
    ).toBe(409);
    expect(await snapshot(id)).toEqual(before);
  });

  it('lets exactly one of a concurrent cancel and check-in win, every time', async () => {
    for (let round = 0; round < 6; round++) {
      const id = await paidBooking({ checkInOpen: true });
      const [cancel, checkIn] = await Promise.all([
        call(stack, 'POST', `/v1/bookings/${id}/cancel`, { token: t.alice, body: { reason: 'race' } }),
        call(stack, 'POST', `/v1/bookings/${id}/status`, {
          token: t.concierge,
          body: { status: 'in_progress' },
        }),
      ]);
      expect([cancel.status, checkIn.status].sort()).toEqual([200, 409]);
      const after = await snapshot(id);
      const history = await pool.query(
        'SELECT to_status FROM booking.status_history WHERE booking_id = $1 ORDER BY at',
        [id],
      );
      const steps = history.rows.map((r) => r.to_status);
      if (checkIn.status === 200) {
        expect(after.status).toBe('in_progress');
        expect(steps).not.toContain('cancelled');
      } else {
        expect(['cancelled', 'refunded']).toContain(after.status);
        expect(steps).not.toContain('in_progress');
      }
    }
  });

  it('keeps concierge load exact through assignments and their release', async () => {
    const load = async () =>
      (await pool.query("SELECT active_assignments AS n FROM booking.concierges WHERE id = 'conc-1'")).rows[0]
        .n as number;
    const open = async () =>
      (
        await pool.query(
          "SELECT count(*)::int AS n FROM booking.bookings WHERE concierge_id = 'conc-1' AND status IN ('concierge_assigned', 'ready', 'in_progress')",
        )
      ).rows[0].n as number;
    await paidBooking();
    expect(await load()).toBe(await open());
  });
});
