/** Bookings whose moment has come and gone without its job acting: what the repair sweeps look for. */
import { and, asc, eq, inArray, lte, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Tx } from '@midas/db';
import { bookings } from './schema';

/** A sweep's work list: ids of the bookings matching `where`, earliest `by` first, at most `limit`. */
export async function bookingIdsBy(
  tx: Tx,
  where: SQL | undefined,
  by: AnyPgColumn,
  limit: number,
): Promise<string[]> {
  const rows = await tx.select({ id: bookings.id }).from(bookings).where(where).orderBy(asc(by)).limit(limit);
  return rows.map((r) => r.id);
}

/** Awaiting check-in although start + grace is at or before `now`. */
export async function overdueNoShows(
  tx: Tx,
  now: Date,
  graceMinutes: number,
  limit: number,
): Promise<string[]> {
  const latestStart = new Date(now.getTime() - graceMinutes * 60_000);
  const awaitingCheckIn = inArray(bookings.status, ['concierge_assigned', 'ready']);
  return bookingIdsBy(tx, and(awaitingCheckIn, lte(bookings.startAt, latestStart)), bookings.startAt, limit);
}

/** In progress although the end is at or before `now`. */
export async function overdueCompletions(tx: Tx, now: Date, limit: number): Promise<string[]> {
  const overdue = and(eq(bookings.status, 'in_progress'), lte(bookings.endAt, now));
  return bookingIdsBy(tx, overdue, bookings.endAt, limit);
}

/** Still unpaid although the hold lapsed at or before `before`. */
export async function lapsedUnpaidBookings(
  tx: Tx,
  before: Date,
  limit: number,
): Promise<{ id: string; holdId: string }[]> {
  const rows = await tx
    .select({ id: bookings.id, holdId: bookings.holdId })
    .from(bookings)
    .where(and(eq(bookings.status, 'pending_payment'), lte(bookings.holdExpiresAt, before)))
    .orderBy(asc(bookings.holdExpiresAt))
    .limit(limit);
  return rows.flatMap((r) => (r.holdId ? [{ id: r.id, holdId: r.holdId }] : []));
}
