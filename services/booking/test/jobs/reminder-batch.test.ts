/**
 * Reminders decided together: one transaction records many, a reminder asked twice in a batch goes
 * out once, and a batch that fails is retried reminder by reminder so only the bad one fails.
 */
import { Pool } from 'pg';
import { createDb } from '@midas/db';
import { migrateService } from '@midas/runtime';
import { createTestEnv, type TestEnv } from '@midas/testing';
import { sendReminders, type ReminderOutcome, type ReminderRequest } from '../../src/flows/send-reminder';
import { ReminderBatcher } from '../../src/jobs/reminder-batcher';
import { defineBookingService } from '../../src/service';
import { insertConfirmedBookings } from './harness';

let env: TestEnv;
let pool: Pool;
const offset = { label: '1h', seconds: 3600 };

beforeAll(async () => {
  env = await createTestEnv();
  await migrateService(defineBookingService(), env.cfg);
  pool = new Pool({ connectionString: env.cfg.DATABASE_URL, max: 4 });
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await env?.cleanup();
});

/** Bookings whose 1h reminder fell due a second ago, confirmed before that. */
async function dueBookings(n: number): Promise<{ ids: string[]; dueAt: Date }> {
  const dueAt = new Date(Date.now() - 1000);
  const ids = await insertConfirmedBookings(pool, n, new Date(dueAt.getTime() + 3_600_000));
  await pool.query(
    "UPDATE booking.status_history SET at = now() - interval '1 hour' WHERE booking_id = ANY($1::uuid[])",
    [ids],
  );
  return { ids, dueAt };
}

const deps = () => ({ db: createDb(pool, {}), now: () => new Date() });

it('records a batch in one go and announces a reminder asked twice only once', async () => {
  const { ids, dueAt } = await dueBookings(3);
  const requests: ReminderRequest[] = [...ids, ids[0]!].map((bookingId) => ({
    bookingId,
    offset,
    scheduledDueAt: dueAt,
  }));
  const outcomes = await sendReminders(deps(), [offset], requests);
  expect(outcomes.map((o) => o.kind)).toEqual(['sent', 'sent', 'sent', 'already_sent']);
  const events = await pool.query(
    "SELECT data->>'bookingId' AS id FROM booking.outbox WHERE type = 'booking.reminder_due' AND data->>'bookingId' = ANY($1)",
    [ids],
  );
  expect(events.rows.map((r) => r.id).sort()).toEqual([...ids].sort());
  // Asked again (a sweep after the jobs): nothing more.
  expect((await sendReminders(deps(), [offset], requests)).map((o) => o.kind)).toEqual([
    'already_sent',
    'already_sent',
    'already_sent',
    'already_sent',
  ]);
});

it('fails only the reminder that breaks its batch; the others are sent', async () => {
  const { ids, dueAt } = await dueBookings(2);
  const batcher = new ReminderBatcher((requests) => sendReminders(deps(), [offset], requests), {
    maxSize: 3,
    maxWaitMs: 50,
  });
  // A job whose data is corrupt fails the statement it is part of.
  const settled = await Promise.allSettled(
    [ids[0]!, 'not-a-booking-id', ids[1]!].map((bookingId) =>
      batcher.submit({ bookingId, offset, scheduledDueAt: dueAt }),
    ),
  );
  expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(
    settled.flatMap((s) => (s.status === 'fulfilled' ? [(s.value as ReminderOutcome).kind] : [])),
  ).toEqual(['sent', 'sent']);
  const sent = await pool.query(
    'SELECT booking_id FROM booking.reminders WHERE booking_id = ANY($1::uuid[])',
    [ids],
  );
  expect(sent.rows.map((r) => r.booking_id).sort()).toEqual([...ids].sort());
});
