/**
 * Reminders sent (migrations/0001_reminders.sql) and what deciding a reminder needs to read: the
 * booking, locked against a concurrent status change, and when its current dates were fixed.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import { integer, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Tx } from '@midas/db';
import type { BookingStatus } from '@midas/contracts';
import { bookingSchema, bookings, type BookingRow } from './schema';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const reminders = bookingSchema.table(
  'reminders',
  {
    bookingId: uuid('booking_id').notNull(),
    offsetSeconds: integer('offset_seconds').notNull(),
    dueAt: instant('due_at').notNull(),
    label: text('label').notNull(),
    sentAt: instant('sent_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.bookingId, t.offsetSeconds, t.dueAt] })],
);

/**
 * The confirmation, or the last change of the start if later: reminders whose moment came before
 * it were never owed. A change of add-ons or of the end alone moves no reminder.
 */
function datesFixedAt(bookingId: SQL): SQL<string | null> {
  return sql<string | null>`GREATEST(
    (SELECT min(h.at) FROM booking.status_history h
      WHERE h.booking_id = ${bookingId} AND h.to_status = 'confirmed'),
    (SELECT max(m.at) FROM booking.modifications m
      WHERE m.booking_id = ${bookingId} AND m.before->>'start' IS DISTINCT FROM m.after->>'start'))`;
}

function toDate(value: string | Date | null): Date | null {
  return value === null ? null : new Date(value);
}

/** The booking, share-locked until the transaction ends, with the moment its dates were fixed. */
export async function readForReminder(
  tx: Tx,
  bookingId: string,
): Promise<{ booking: BookingRow; datesFixedAt: Date | null } | undefined> {
  const [row] = await tx
    .select({ booking: bookings, datesFixedAt: datesFixedAt(sql.raw('"booking"."bookings"."id"')) })
    .from(bookings)
    .where(eq(bookings.id, bookingId))
    .for('share');
  return row ? { booking: row.booking, datesFixedAt: toDate(row.datesFixedAt) } : undefined;
}

/** Records a reminder as sent; false when it already was (the key is the exactly-once guard). */
export async function recordReminder(
  tx: Tx,
  reminder: { bookingId: string; offsetSeconds: number; dueAt: Date; label: string },
): Promise<boolean> {
  const inserted = await tx
    .insert(reminders)
    .values(reminder)
    .onConflictDoNothing()
    .returning({ bookingId: reminders.bookingId });
  return inserted.length === 1;
}

export async function remindersOf(
  tx: Tx,
  bookingId: string,
): Promise<{ offsetSeconds: number; dueAt: Date; label: string; sentAt: Date }[]> {
  return tx
    .select({
      offsetSeconds: reminders.offsetSeconds,
      dueAt: reminders.dueAt,
      label: reminders.label,
      sentAt: reminders.sentAt,
    })
    .from(reminders)
    .where(eq(reminders.bookingId, bookingId))
    .orderBy(reminders.sentAt);
}

export interface ReminderCandidate {
  id: string;
  status: BookingStatus;
  startAt: Date;
  datesFixedAt: Date | null;
  sent: { offsetSeconds: number; dueAt: Date }[];
}

/**
 * Bookings that may owe a reminder now: paid for, starting within `horizonSeconds` (the largest
 * offset), with the reminders they already sent. Keyset-paged by (start, id) after `after`.
 */
export async function reminderCandidates(
  tx: Tx,
  opts: { now: Date; horizonSeconds: number; limit: number; after?: { startAt: Date; id: string } },
): Promise<ReminderCandidate[]> {
  const now = opts.now.toISOString();
  const after = opts.after
    ? sql`AND (b.start_at, b.id) > (${opts.after.startAt.toISOString()}::timestamptz, ${opts.after.id}::uuid)`
    : sql``;
  const result = await tx.execute<{
    id: string;
    status: BookingStatus;
    start_at: string | Date;
    dates_fixed_at: string | Date | null;
    sent: { offset_seconds: number; due_at: string }[] | null;
  }>(sql`
    SELECT b.id, b.status, b.start_at,
           ${datesFixedAt(sql`b.id`)} AS dates_fixed_at,
           (SELECT json_agg(json_build_object('offset_seconds', r.offset_seconds, 'due_at', r.due_at))
              FROM booking.reminders r WHERE r.booking_id = b.id) AS sent
      FROM booking.bookings b
     WHERE b.status IN ('confirmed', 'concierge_assigned', 'ready')
       AND b.start_at > ${now}::timestamptz
       AND b.start_at <= ${now}::timestamptz + make_interval(secs => ${opts.horizonSeconds})
       ${after}
     ORDER BY b.start_at, b.id
     LIMIT ${opts.limit}`);
  return result.rows.map((r) => ({
    id: r.id,
    status: r.status,
    startAt: new Date(r.start_at),
    datesFixedAt: toDate(r.dates_fixed_at),
    sent: (r.sent ?? []).map((s) => ({ offsetSeconds: s.offset_seconds, dueAt: new Date(s.due_at) })),
  }));
}
