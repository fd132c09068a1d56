/**
 * What booking records from other services' events: holds created (conversion), message
 * deliveries and calendar conflicts (history).
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { communications, holdsSeen } from './schema';

export async function recordHoldSeen(
  tx: Tx,
  hold: { holdId: string; itemId: string; createdAt: Date },
): Promise<void> {
  await tx.insert(holdsSeen).values(hold).onConflictDoNothing();
}

export async function recordCommunication(tx: Tx, row: typeof communications.$inferInsert): Promise<void> {
  await tx.insert(communications).values(row).onConflictDoNothing();
}

/**
 * An outside event in an item's calendar over bookings, kept with each booking that exists here
 * (an id this service does not know is skipped). Returns the bookings it was recorded for.
 */
export async function recordCalendarConflict(
  tx: Tx,
  conflict: {
    bookingIds: readonly string[];
    calendarId: string;
    googleEventId: string;
    start: Date;
    end: Date;
    summary: string;
  },
): Promise<string[]> {
  const result = await tx.execute<{ booking_id: string }>(sql`
    INSERT INTO booking.calendar_conflicts (booking_id, calendar_id, google_event_id, start_at, end_at, summary)
    SELECT b.id, ${conflict.calendarId}, ${conflict.googleEventId}, ${conflict.start.toISOString()}::timestamptz,
           ${conflict.end.toISOString()}::timestamptz, ${conflict.summary}
      FROM booking.bookings b
     WHERE b.id = ANY(${`{${conflict.bookingIds.join(',')}}`}::uuid[])
    ON CONFLICT DO NOTHING
    RETURNING booking_id`);
  return result.rows.map((r) => r.booking_id);
}
