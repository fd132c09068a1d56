/**
 * What booking records from other services' events: holds created (conversion), message
 * deliveries and calendar conflicts (history).
 */
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { bookings, communications, holdsSeen } from './schema';

export async function recordHoldSeen(
  tx: Tx,
  hold: { holdId: string; itemId: string; createdAt: Date },
): Promise<void> {
  await tx.insert(holdsSeen).values(hold).onConflictDoNothing();
}

export async function recordCommunication(tx: Tx, row: typeof communications.$inferInsert): Promise<void> {
  // An outcome arriving after the booking's personal data was erased keeps no address. The row
  // lock makes an erasure running now either wait for this insert or be seen by it.
  const [booking] = await tx
    .select({ erasedAt: bookings.erasedAt })
    .from(bookings)
    .where(eq(bookings.id, row.bookingId))
    .for('share');
  await tx
    .insert(communications)
    .values(booking?.erasedAt ? { ...row, recipient: '' } : row)
    .onConflictDoNothing();
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
