/**
 * Reminders survive Redis going away. With a Redis of the test's own, 1,000 reminders are pending
 * when it shuts down and come due while it is down: once it is back (its append-only file
 * replayed) each is sent exactly once. Then 1,000 more are pending when it loses everything
 * (FLUSHALL): the sweeps, re-registered by their watchdog, send each exactly once from Postgres.
 * The lifecycle sweep likewise acts on no-shows, completions and unpaid bookings with no job at all.
 */
import { inArray } from 'drizzle-orm';
import { Pool } from 'pg';
import { createDb } from '@midas/db';
import { Jobs } from '@midas/jobs';
import { createLogger } from '@midas/observability';
import { startService, type RunningService } from '@midas/runtime';
import {
  createTestEnv,
  eventually,
  type TestEnv,
  brokerScope,
  observeEvents,
  type EventObserver,
} from '@midas/testing';
import { bookings } from '../../src/db/schema';
import { BookingJobs, REMINDERS_QUEUE, type ReminderJob } from '../../src/jobs/booking-jobs';
import { defineBookingService } from '../../src/service';
import { deleteBookingQueues, insertConfirmedBookings, OwnRedis, sleep, sleepUntil } from './harness';

const N = 1000;
const OFFSET_MS = 30_000;

let redis: OwnRedis;
let env: TestEnv;
let service: RunningService;
let tap: EventObserver;
let pool: Pool;

beforeAll(async () => {
  redis = await OwnRedis.start();
  env = await createTestEnv({ REDIS_URL: redis.url, REMINDER_OFFSETS: '30s' });
  service = await startService(
    defineBookingService({ scheduler: { sweepEveryMs: 1000, watchdogEveryMs: 1000 }, rpcTimeoutMs: 500 }),
    env.cfg,
    { port: 0 },
  );
  tap = await observeEvents(brokerScope(env), ['booking.reminder_due', 'booking.status_changed']);
  pool = new Pool({ connectionString: env.cfg.DATABASE_URL, max: 4 });
}, 120_000);

afterAll(async () => {
  await tap?.close();
  await pool?.end();
  await service?.stop();
  await redis?.stop();
  if (env) await deleteBookingQueues(env.cfg.AMQP_URL, env.namespace);
  await env?.cleanup();
});

/** N confirmed bookings starting in a minute, their jobs scheduled as the confirm flow does. */
async function pendingReminders(): Promise<{ ids: Set<string>; moment: number }> {
  const start = Date.now() + 2 * OFFSET_MS;
  const ids = await insertConfirmedBookings(pool, N, new Date(start));
  const rows = await createDb(pool, {}).select().from(bookings).where(inArray(bookings.id, ids));
  const jobs = await Jobs.create({
    redisUrl: redis.url,
    namespace: env.namespace,
    logger: createLogger('redis-loss-test', 'silent'),
  });
  try {
    const scheduler = new BookingJobs(jobs, createLogger('redis-loss-test', 'silent'), {
      offsets: env.cfg.REMINDER_OFFSETS,
      graceMinutes: env.cfg.NO_SHOW_GRACE_MINUTES,
      now: () => new Date(),
    });
    for (let i = 0; i < rows.length; i += 100) {
      await Promise.all(rows.slice(i, i + 100).map((row) => scheduler.scheduleLifecycleJobs(row)));
    }
    const delayed = await jobs.queue<ReminderJob>(REMINDERS_QUEUE).getDelayed(0, 2 * N);
    expect(delayed.filter((j) => j.name === 'remind' && ids.includes(j.data.bookingId)).length).toBe(N);
  } finally {
    await jobs.close();
  }
  return { ids: new Set(ids), moment: start - OFFSET_MS };
}

async function expectEachSentOnce(ids: Set<string>, moment: number): Promise<void> {
  const mine = () => tap.of('booking.reminder_due').filter((e) => ids.has(e.data.bookingId));
  await sleepUntil(moment);
  // Within the reminder's tolerance: until the start, one offset later.
  await eventually(async () => mine().length >= N, OFFSET_MS - 2000, 100);
  // Long enough for any duplicate (a job and a sweep both sending) to arrive.
  await sleep(3000);
  const events = mine();
  expect(events).toHaveLength(N);
  expect(new Set(events.map((e) => e.data.bookingId)).size).toBe(N);
  expect(new Set(events.map((e) => e.data.dueAt))).toEqual(new Set([new Date(moment).toISOString()]));
  const rows = await pool.query(
    'SELECT count(*)::int AS n FROM booking.reminders WHERE booking_id = ANY($1::uuid[])',
    [[...ids]],
  );
  expect(rows.rows[0].n).toBe(N);
}

it('sends each of 1,000 reminders exactly once after Redis was down when they came due', async () => {
  const { ids, moment } = await pendingReminders();
  expect(Date.now()).toBeLessThan(moment);
  await redis.shutdown();
  await sleepUntil(moment + 2000);
  expect(tap.of('booking.reminder_due')).toEqual([]);
  await redis.up();
  await expectEachSentOnce(ids, moment);
}, 120_000);

it('sends each of 1,000 reminders exactly once through the sweeps after Redis lost every job', async () => {
  const { ids, moment } = await pendingReminders();
  await redis.flushAll();
  const sweptBefore = await sentBySweep();
  await expectEachSentOnce(ids, moment);
  // Their jobs were gone: the sweep sent every one of them.
  expect((await sentBySweep()) - sweptBefore).toBe(N);
}, 120_000);

async function sentBySweep(): Promise<number> {
  const metric = await service.ctx.metrics.registry.getSingleMetric('midas_reminders_total')?.get();
  return metric?.values.find((v) => v.labels.via === 'sweep' && v.labels.outcome === 'sent')?.value ?? 0;
}

it('has the lifecycle sweep act on overdue bookings that have no job at all', async () => {
  const [noShow, ended, unpaid, future] = await insertConfirmedBookings(
    pool,
    4,
    new Date(Date.now() + 3_600_000),
  );
  // Moments that passed while nothing could act: start + grace (60 min), the end, the hold's expiry.
  await pool.query(
    `UPDATE booking.bookings SET status = 'concierge_assigned', start_at = now() - interval '61 minutes',
            end_at = now() + interval '1 hour' WHERE id = $1`,
    [noShow],
  );
  await pool.query(
    `UPDATE booking.bookings SET status = 'in_progress', start_at = now() - interval '2 hours',
            end_at = now() - interval '1 minute' WHERE id = $1`,
    [ended],
  );
  await pool.query(
    `UPDATE booking.bookings SET status = 'pending_payment', hold_id = gen_random_uuid(),
            hold_expires_at = now() - interval '2 minutes' WHERE id = $1`,
    [unpaid],
  );
  await pool.query(
    `UPDATE booking.bookings SET status = 'concierge_assigned', start_at = now() - interval '30 minutes',
            end_at = now() + interval '1 hour' WHERE id = $1`,
    [future],
  );
  const statusOf = async (id: string) =>
    (await pool.query('SELECT status FROM booking.bookings WHERE id = $1', [id])).rows[0].status as string;
  await eventually(
    async () =>
      (await statusOf(noShow!)) === 'no_show' &&
      (await statusOf(ended!)) === 'completed' &&
      (await statusOf(unpaid!)) === 'expired',
    15_000,
    200,
  );
  const history = await pool.query(
    `SELECT booking_id, to_status, actor_role, reason FROM booking.status_history
      WHERE booking_id = ANY($1::uuid[]) AND to_status IN ('no_show', 'completed', 'expired')`,
    [[noShow, ended, unpaid, future]],
  );
  expect(history.rows.sort((a, b) => a.to_status.localeCompare(b.to_status))).toEqual([
    { booking_id: ended, to_status: 'completed', actor_role: 'system', reason: 'ended' },
    { booking_id: unpaid, to_status: 'expired', actor_role: 'system', reason: 'hold_lapsed' },
    { booking_id: noShow, to_status: 'no_show', actor_role: 'system', reason: 'no_check_in' },
  ]);
  await eventually(async () => tap.of('booking.status_changed').length >= 3, 10_000, 100);
  expect(
    tap
      .of('booking.status_changed')
      .map((e) => [e.data.bookingId, e.data.to])
      .sort(),
  ).toEqual(
    [
      [ended, 'completed'],
      [noShow, 'no_show'],
      [unpaid, 'expired'],
    ].sort(),
  );
  // Within its grace, a guest may still arrive.
  expect(await statusOf(future!)).toBe('concierge_assigned');
}, 60_000);
