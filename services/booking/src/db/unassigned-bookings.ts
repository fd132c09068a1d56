/** Confirmed bookings still waiting for a concierge: the rescue sweep's work list and the near-start alert. */
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { bookingIdsBy } from './overdue-bookings';
import { bookings, type BookingRow } from './schema';

/** Ids of confirmed bookings not yet over, soonest start first. */
export async function unassignedBookingIds(tx: Tx, now: Date, limit: number): Promise<string[]> {
  const waiting = and(eq(bookings.status, 'confirmed'), gt(bookings.endAt, now));
  return bookingIdsBy(tx, waiting, bookings.startAt, limit);
}

/**
 * Marks the confirmed bookings starting within `hours` that admins were not told about yet, and
 * returns them. SKIP LOCKED lets two replicas sweep at once without waiting on each other, and a
 * booking being assigned right now (its row locked) is simply left for the next sweep.
 */
export async function flagUnassignedNearStart(
  tx: Tx,
  now: Date,
  hours: number,
  limit: number,
): Promise<BookingRow[]> {
  const horizon = new Date(now.getTime() + hours * 3_600_000);
  const result = await tx.execute<{ id: string }>(sql`
    UPDATE ${bookings} SET unassigned_alerted_at = ${now.toISOString()}::timestamptz
    WHERE id IN (
      SELECT id FROM ${bookings}
      WHERE status = 'confirmed' AND unassigned_alerted_at IS NULL
        AND start_at <= ${horizon.toISOString()}::timestamptz AND end_at > ${now.toISOString()}::timestamptz
      ORDER BY start_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id`);
  const ids = result.rows.map((r) => r.id);
  if (ids.length === 0) return [];
  return tx.select().from(bookings).where(inArray(bookings.id, ids)).orderBy(asc(bookings.startAt));
}
