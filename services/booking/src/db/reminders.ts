/**
 * Reminders sent (migrations/0001_reminders.sql) and what deciding a reminder needs to read: the
 * booking, locked against a concurrent status change, and when its current dates were fixed.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import { integer, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Tx } from '@midas/db';
import type { BookingStatus, ItemType } from '@midas/contracts';
import type { SummarizedBooking } from '../events/publish/booking-summary';
import { bookingSchema } from './schema';

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

/** What a reminder decides on and announces. */
export type ReminderBooking = SummarizedBooking;

/**
 * The bookings, share-locked until the transaction ends (a cancellation cannot slip between the
 * decision and its commit), each with the moment its dates were fixed when `datesFixed` asks for
 * it (two look-ups per booking; jobs do without). Hand-written SQL with one array parameter: this
 * runs for every reminder, thousands at the same moment.
 */
export async function readForReminders(
  tx: Tx,
  bookingIds: readonly string[],
  opts: { datesFixed: boolean },
): Promise<Map<string, { booking: ReminderBooking; datesFixedAt: Date | null }>> {
  const fixed = opts.datesFixed ? datesFixedAt(sql`b.id`) : sql`NULL::timestamptz`;
  const result = await tx.execute<{
    id: string;
    status: BookingStatus;
    item_id: string;
    item_type: ItemType;
    item_name: string;
    location: string;
    timezone: string;
    start_at: string | Date;
    end_at: string | Date;
    currency: string;
    total: string | number;
    guest_name: string | null;
    guest_email: string | null;
    guest_phone: string | null;
    customer_id: string | null;
    concierge_id: string | null;
    dates_fixed_at: string | Date | null;
  }>(sql`
    SELECT b.id, b.status, b.item_id, b.item_type, b.item_name, b.location, b.timezone, b.start_at, b.end_at,
           b.currency, b.total, b.guest_name, b.guest_email, b.guest_phone, b.customer_id, b.concierge_id,
           ${fixed} AS dates_fixed_at
      FROM booking.bookings b
     WHERE b.id = ANY(${uuidArray(bookingIds)}::uuid[])
     ORDER BY b.id
       FOR SHARE OF b`);
  return new Map(
    result.rows.map((r) => [
      r.id,
      {
        booking: {
          id: r.id,
          status: r.status,
          itemId: r.item_id,
          itemType: r.item_type,
          itemName: r.item_name,
          location: r.location,
          timezone: r.timezone,
          startAt: new Date(r.start_at),
          endAt: new Date(r.end_at),
          currency: r.currency,
          total: Number(r.total),
          guestName: r.guest_name,
          guestEmail: r.guest_email,
          guestPhone: r.guest_phone,
          customerId: r.customer_id,
          conciergeId: r.concierge_id,
        },
        datesFixedAt: toDate(r.dates_fixed_at),
      },
    ]),
  );
}

/** A PostgreSQL array literal of UUIDs as one parameter; anything else is refused before it reaches SQL. */
function uuidArray(ids: readonly string[]): string {
  for (const id of ids) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
      throw new Error(`not a booking id: ${id}`);
    }
  }
  return `{${[...new Set(ids)].join(',')}}`;
}

export interface SentReminder {
  bookingId: string;
  offsetSeconds: number;
  dueAt: Date;
  label: string;
}

/** Records reminders as sent in one statement; returns those that were not already (the key is the exactly-once guard). */
export async function recordReminders(tx: Tx, sent: readonly SentReminder[]): Promise<SentReminder[]> {
  if (sent.length === 0) return [];
  const rows = sent.map((r) => ({
    booking_id: r.bookingId,
    offset_seconds: r.offsetSeconds,
    due_at: r.dueAt.toISOString(),
    label: r.label,
  }));
  const inserted = await tx.execute<{
    booking_id: string;
    offset_seconds: number;
    due_at: string | Date;
    label: string;
  }>(sql`
    INSERT INTO booking.reminders (booking_id, offset_seconds, due_at, label)
    SELECT r.booking_id, r.offset_seconds, r.due_at, r.label
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
           AS r(booking_id uuid, offset_seconds integer, due_at timestamptz, label text)
        ON CONFLICT DO NOTHING
    RETURNING booking_id, offset_seconds, due_at, label`);
  return inserted.rows.map((r) => ({
    bookingId: r.booking_id,
    offsetSeconds: r.offset_seconds,
    dueAt: new Date(r.due_at),
    label: r.label,
  }));
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
