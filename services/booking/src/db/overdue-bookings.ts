/** Bookings whose moment has come and gone without its job acting: what the repair sweeps look for. */
import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { bookings } from './schema';

/** Awaiting check-in although start + grace is at or before `now`. */
export async function overdueNoShows(
  tx: Tx,
  now: Date,
  graceMinutes: number,
  limit: number,
): Promise<string[]> {
  const latestStart = new Date(now.getTime() - graceMinutes * 60_000);
  const rows = await tx
    .select({ id: bookings.id })
    .from(bookings)
    .where(and(inArray(bookings.status, ['concierge_assigned', 'ready']), lte(bookings.startAt, latestStart)))
    .orderBy(asc(bookings.startAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** In progress although the end is at or before `now`. */
export async function overdueCompletions(tx: Tx, now: Date, limit: number): Promise<string[]> {
  const rows = await tx
    .select({ id: bookings.id })
    .from(bookings)
    .where(and(eq(bookings.status, 'in_progress'), lte(bookings.endAt, now)))
    .orderBy(asc(bookings.endAt))
    .limit(limit);
  return rows.map((r) => r.id);
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
