/**
 * Reminders through the whole stack, observed as booking.reminder_due events on the broker. The
 * schedule runs in minutes instead of hours (REMINDER_OFFSETS `24m,4m,1m`), the sweeps every second.
 */
import { Pool } from 'pg';
import { Jobs } from '@midas/jobs';
import { brokerScope, observeEvents, type EventObserver } from '@midas/testing';
import { createLogger } from '@midas/observability';
import { lifecycleJobId, LIFECYCLE_QUEUE, reminderJobId, REMINDERS_QUEUE } from '../../src/jobs/booking-jobs';
import { call, createItem, eventually, startStack, token, type Stack } from '../harness';
import { sleep, sleepUntil } from './harness';

let stack: Stack;
let tap: EventObserver;
let jobs: Jobs;
let pool: Pool;
let alice: string;

beforeAll(async () => {
  stack = await startStack(
    { REMINDER_OFFSETS: '24m,4m,1m' },
    { scheduler: { sweepEveryMs: 1000, watchdogEveryMs: 1000 } },
  );
  tap = await observeEvents(brokerScope(stack.env), ['booking.reminder_due']);
  jobs = await Jobs.create({
    redisUrl: stack.env.cfg.REDIS_URL,
    namespace: stack.env.namespace,
    logger: createLogger('reminders-test', 'silent'),
  });
  pool = new Pool({ connectionString: stack.env.cfg.DATABASE_URL, max: 1 });
  alice = await token({ role: 'customer', sub: 'alice' });
}, 120_000);

afterAll(async () => {
  await tap?.close();
  await jobs?.close();
  await pool?.end();
  await stack?.stop();
});

const MINUTE = 60_000;

/** A paid booking of an hour from `start` on an item of its own. */
async function confirmedBooking(start: number): Promise<string> {
  const item = await createItem(stack, { bufferMinutes: 0, minDuration: 'PT1M' });
  const created = await call(stack, 'POST', '/v1/bookings', {
    token: alice,
    body: {
      itemId: item.id,
      start: new Date(start).toISOString(),
      end: new Date(start + 60 * MINUTE).toISOString(),
    },
  });
  expect(created.status).toBe(201);
  const paid = await call(stack, 'POST', `/v1/payments/local/${created.body.id}/confirm`, { token: alice });
  expect(paid.status).toBe(200);
  expect(paid.body.status).toBe('confirmed');
  return created.body.id as string;
}

/** When a delayed job is due to run, or undefined when there is no such job waiting. */
async function dueTime(queue: string, id: string): Promise<number | undefined> {
  const job = await jobs.queue(queue).getJob(id);
  if (!job || (await job.getState()) !== 'delayed') return undefined;
  return job.timestamp + job.delay;
}

it('sends only the 1m reminder to a booking confirmed a little over a minute before its start, at its moment', async () => {
  const start = Date.now() + MINUTE + 6000;
  const id = await confirmedBooking(start);
  const moment = start - MINUTE;
  expect(await dueTime(REMINDERS_QUEUE, reminderJobId(id, '24m'))).toBeUndefined();
  expect(await dueTime(REMINDERS_QUEUE, reminderJobId(id, '4m'))).toBeUndefined();
  expect(await dueTime(REMINDERS_QUEUE, reminderJobId(id, '1m'))).toBeGreaterThan(Date.now());

  await eventually(async () => tap.of('booking.reminder_due', { bookingId: id }).length > 0, 20_000, 50);
  // Several sweeps pass over the booking meanwhile; none may add the reminders whose moment had gone.
  await sleep(4000);
  const events = tap.of('booking.reminder_due', { bookingId: id });
  expect(events.map((e) => ({ offset: e.data.offset, dueAt: e.data.dueAt }))).toEqual([
    { offset: '1m', dueAt: new Date(moment).toISOString() },
  ]);
  expect(events[0]!.receivedAt).toBeGreaterThanOrEqual(moment);
  // At its moment, allowing for delivery through the outbox and the broker while other tests run.
  expect(events[0]!.receivedAt - moment).toBeLessThan(5000);
  expect(events[0]!.data).toMatchObject({
    bookingId: id,
    status: 'confirmed',
    start: new Date(start).toISOString(),
  });
  const rows = await pool.query('SELECT label FROM booking.reminders WHERE booking_id = $1', [id]);
  expect(rows.rows).toEqual([{ label: '1m' }]);
}, 60_000);

it('sends nothing to a booking cancelled before its reminder, whose jobs are gone', async () => {
  const start = Date.now() + MINUTE + 12_000;
  const id = await confirmedBooking(start);
  expect(await dueTime(REMINDERS_QUEUE, reminderJobId(id, '1m'))).toBeDefined();
  const cancelled = await call(stack, 'POST', `/v1/bookings/${id}/cancel`, {
    token: alice,
    body: { reason: 'plans changed' },
  });
  expect(cancelled.status).toBe(200);
  for (const [queue, jobIdOf] of [
    [REMINDERS_QUEUE, reminderJobId(id, '1m')],
    [LIFECYCLE_QUEUE, lifecycleJobId('no-show', id)],
    [LIFECYCLE_QUEUE, lifecycleJobId('complete', id)],
  ] as const) {
    expect(await jobs.queue(queue).getJob(jobIdOf)).toBeUndefined();
  }
  await sleepUntil(start - MINUTE + 3000);
  expect(tap.of('booking.reminder_due', { bookingId: id })).toEqual([]);
}, 60_000);

it('moves the reminders of a booking moved by a day, and sends nothing at the old moments', async () => {
  const start = Date.now() + MINUTE + 20_000;
  const [movedByADay, movedBy20s] = await Promise.all([confirmedBooking(start), confirmedBooking(start)]);
  const move = async (id: string, by: number) => {
    const res = await call(stack, 'PATCH', `/v1/bookings/${id}`, {
      token: alice,
      body: {
        start: new Date(start + by).toISOString(),
        end: new Date(start + by + 60 * MINUTE).toISOString(),
      },
    });
    expect(res.status).toBe(200);
  };
  const DAY = 24 * 60 * MINUTE;
  await move(movedByADay, DAY);
  await move(movedBy20s, 20_000);

  // Every reminder of the day-later booking is ahead again, so each has its job at its new moment.
  const near = (expected: number) => (actual: number | undefined) =>
    expect(Math.abs((actual ?? 0) - expected)).toBeLessThan(2000);
  const newStart = start + DAY;
  near(newStart - 24 * MINUTE)(await dueTime(REMINDERS_QUEUE, reminderJobId(movedByADay, '24m')));
  near(newStart - 4 * MINUTE)(await dueTime(REMINDERS_QUEUE, reminderJobId(movedByADay, '4m')));
  near(newStart - MINUTE)(await dueTime(REMINDERS_QUEUE, reminderJobId(movedByADay, '1m')));
  near(newStart + 60 * MINUTE)(await dueTime(LIFECYCLE_QUEUE, lifecycleJobId('no-show', movedByADay)));
  near(newStart + 60 * MINUTE)(await dueTime(LIFECYCLE_QUEUE, lifecycleJobId('complete', movedByADay)));

  const oldMoment = start - MINUTE;
  const newMoment = oldMoment + 20_000;
  await eventually(
    async () => tap.of('booking.reminder_due', { bookingId: movedBy20s }).length > 0,
    60_000,
    50,
  );
  await sleepUntil(newMoment + 3000);
  expect(tap.of('booking.reminder_due', { bookingId: movedByADay })).toEqual([]);
  const moved = tap.of('booking.reminder_due', { bookingId: movedBy20s });
  expect(moved.map((e) => ({ offset: e.data.offset, dueAt: e.data.dueAt }))).toEqual([
    { offset: '1m', dueAt: new Date(newMoment).toISOString() },
  ]);
  expect(moved[0]!.receivedAt).toBeGreaterThanOrEqual(newMoment);
}, 120_000);

it('exposes reminder lag and the jobs of its queues by state on /metrics', async () => {
  const text = await (await fetch(`http://127.0.0.1:${stack.booking.port}/metrics`)).text();
  // The reminders sent above were observed by the path that sent them.
  expect(text).toMatch(/midas_reminder_lag_seconds_count\{[^}]*via="job"[^}]*\} [1-9]/);
  expect(text).toMatch(/midas_reminders_total\{[^}]*outcome="sent"[^}]*\} [1-9]/);
  for (const queue of ['reminders', 'lifecycle']) {
    expect(text).toMatch(
      new RegExp(`midas_jobs_queue_jobs\\{[^}]*queue="${queue}"[^}]*state="delayed"[^}]*\\} \\d`),
    );
  }
});
