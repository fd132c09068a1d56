/**
 * The lifecycle moments through the whole stack: the no-show check at start + grace (here 0),
 * check-in only within its window, and completion at the end, on its own or by check-out.
 */
import { Pool } from 'pg';
import { Jobs } from '@midas/jobs';
import { brokerScope, observeEvents, type EventObserver } from '@midas/testing';
import { createLogger } from '@midas/observability';
import { lifecycleJobId, LIFECYCLE_QUEUE } from '../../src/jobs/booking-jobs';
import { addConcierge, at, call, createItem, eventually, startStack, token, type Stack } from '../harness';
import { sleepUntil } from './harness';

let stack: Stack;
let tap: EventObserver;
let jobs: Jobs;
let pool: Pool;
const t: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack(
    { NO_SHOW_GRACE_MINUTES: '0' },
    { scheduler: { sweepEveryMs: 1000, watchdogEveryMs: 1000 } },
  );
  await addConcierge(stack, 'conc-att', 'monaco', 100);
  tap = await observeEvents(brokerScope(stack.env), ['booking.status_changed']);
  jobs = await Jobs.create({
    redisUrl: stack.env.cfg.REDIS_URL,
    namespace: stack.env.namespace,
    logger: createLogger('attendance-test', 'silent'),
  });
  pool = new Pool({ connectionString: stack.env.cfg.DATABASE_URL, max: 1 });
  t.alice = await token({ role: 'customer', sub: 'alice' });
  t.bob = await token({ role: 'customer', sub: 'bob' });
  t.concierge = await token({ role: 'concierge', sub: 'conc-att', location: 'monaco' });
}, 120_000);

afterAll(async () => {
  await tap?.close();
  await jobs?.close();
  await pool?.end();
  await stack?.stop();
});

/** A paid booking [start, end) on an item of its own without buffer, assigned to the concierge. */
async function assignedBooking(start: number, end: number): Promise<{ id: string; itemId: string }> {
  const item = await createItem(stack, { bufferMinutes: 0, minDuration: 'PT10S' });
  const created = await call(stack, 'POST', '/v1/bookings', {
    token: t.alice,
    body: { itemId: item.id, start: new Date(start).toISOString(), end: new Date(end).toISOString() },
  });
  expect(created.status).toBe(201);
  const paid = await call(stack, 'POST', `/v1/payments/local/${created.body.id}/confirm`, { token: t.alice });
  expect(paid.body.status).toBe('concierge_assigned');
  return { id: created.body.id as string, itemId: item.id };
}

async function setStatus(id: string, status: string) {
  return call(stack, 'POST', `/v1/bookings/${id}/status`, { token: t.concierge, body: { status } });
}

async function history(id: string) {
  const rows = await pool.query(
    'SELECT to_status, actor_role, reason FROM booking.status_history WHERE booking_id = $1 ORDER BY at, id',
    [id],
  );
  return rows.rows as { to_status: string; actor_role: string; reason: string | null }[];
}

it('makes a booking nobody checked in a no-show at start + grace, as the system, and frees the rest of its period', async () => {
  const start = Date.now() + 8000;
  const end = start + 10 * 60_000;
  const { id, itemId } = await assignedBooking(start, end);

  await eventually(
    async () => tap.of('booking.status_changed', { bookingId: id }).some((e) => e.data.to === 'no_show'),
    20_000,
    50,
  );
  const event = tap.of('booking.status_changed', { bookingId: id }).find((e) => e.data.to === 'no_show')!;
  expect(event.data).toMatchObject({
    from: 'concierge_assigned',
    to: 'no_show',
    actor: 'system',
    reason: 'no_check_in',
  });
  expect(event.receivedAt).toBeGreaterThanOrEqual(start);
  expect((await history(id)).at(-1)).toEqual({
    to_status: 'no_show',
    actor_role: 'system',
    reason: 'no_check_in',
  });
  expect((await call(stack, 'GET', `/v1/bookings/${id}`, { token: t.alice })).body.status).toBe('no_show');
  // Too late to check in now.
  expect((await setStatus(id, 'in_progress')).status).toBe(409);

  // Availability learns of it from the event: someone else may take what is left of the period.
  const rest = {
    itemId,
    start: new Date(Date.now() + 60_000).toISOString(),
    end: new Date(end).toISOString(),
  };
  await eventually(
    async () => (await call(stack, 'POST', '/v1/bookings', { token: t.bob, body: rest })).status === 201,
    15_000,
    250,
  );
}, 60_000);

it('leaves a booking checked in before its start alone when its no-show moment comes', async () => {
  const start = Date.now() + 8000;
  const { id } = await assignedBooking(start, start + 10 * 60_000);
  expect((await setStatus(id, 'in_progress')).status).toBe(200);
  // The no-show job still fires at the start; it re-reads the booking and does nothing.
  await sleepUntil(start + 4000);
  expect((await call(stack, 'GET', `/v1/bookings/${id}`, { token: t.alice })).body.status).toBe(
    'in_progress',
  );
  expect(tap.of('booking.status_changed', { bookingId: id }).map((e) => e.data.to)).not.toContain('no_show');
  expect((await history(id)).map((h) => h.to_status)).not.toContain('no_show');
}, 60_000);

it('refuses a check-in before its window with 422 saying when it opens, and changes nothing', async () => {
  const start = Date.parse(at(3));
  const { id } = await assignedBooking(start, start + 3_600_000);
  const before = await history(id);
  const res = await setStatus(id, 'in_progress');
  expect(res.status).toBe(422);
  expect(res.body).toMatchObject({
    code: 'check_in_not_open',
    opensAt: new Date(start - 3_600_000).toISOString(),
  });
  expect((await call(stack, 'GET', `/v1/bookings/${id}`, { token: t.alice })).body.status).toBe(
    'concierge_assigned',
  );
  expect(await history(id)).toEqual(before);
}, 60_000);

it('completes a booking in progress at its end on its own, and a check-out removes the completion job', async () => {
  const start = Date.now() + 5000;
  const [ending, checkedOut] = await Promise.all([
    assignedBooking(start, start + 15_000),
    assignedBooking(start, start + 30 * 60_000),
  ]);
  for (const b of [ending, checkedOut]) expect((await setStatus(b.id, 'in_progress')).status).toBe(200);

  expect(await jobs.queue(LIFECYCLE_QUEUE).getJob(lifecycleJobId('complete', checkedOut.id))).toBeDefined();
  expect((await setStatus(checkedOut.id, 'completed')).status).toBe(200);
  expect(await jobs.queue(LIFECYCLE_QUEUE).getJob(lifecycleJobId('complete', checkedOut.id))).toBeUndefined();
  expect((await history(checkedOut.id)).filter((h) => h.to_status === 'completed')).toEqual([
    { to_status: 'completed', actor_role: 'concierge', reason: null },
  ]);

  await eventually(
    async () =>
      tap.of('booking.status_changed', { bookingId: ending.id }).some((e) => e.data.to === 'completed'),
    30_000,
    100,
  );
  const completed = tap
    .of('booking.status_changed', { bookingId: ending.id })
    .find((e) => e.data.to === 'completed')!;
  expect(completed.data).toMatchObject({ from: 'in_progress', actor: 'system', reason: 'ended' });
  expect(completed.receivedAt).toBeGreaterThanOrEqual(start + 15_000);
}, 60_000);
