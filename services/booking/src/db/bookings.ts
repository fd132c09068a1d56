/** Reads and writes of booking rows; every status change is a compare-and-swap on the expected status. */
import { and, eq, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '@midas/db';
import type { BookingStatus } from '@midas/contracts';
import { bookings, type BookingRow } from './schema';
import { firstRow } from './first-row';

export type NewBooking = typeof bookings.$inferInsert;

export async function insertBooking(tx: Tx, row: NewBooking): Promise<BookingRow> {
  const [inserted] = await tx.insert(bookings).values(row).returning();
  return inserted!;
}

export const findBooking = (tx: Tx, id: string) => firstRow(tx, bookings, eq(bookings.id, id));

/** The booking row locked until the transaction ends, so a change of dates cannot interleave with another. */
export const lockBooking = (tx: Tx, id: string) => firstRow(tx, bookings, eq(bookings.id, id), 'update');

export const findBookingByHold = (tx: Tx, holdId: string) =>
  firstRow(tx, bookings, eq(bookings.holdId, holdId));

/** Every change of a booking's terms, status or concierge moves its version (what readers compare) and its time. */
async function changeBooking(
  tx: Tx,
  set: Partial<NewBooking>,
  where: SQL | undefined,
): Promise<BookingRow | undefined> {
  const [row] = await tx
    .update(bookings)
    .set({ ...set, version: sql`${bookings.version} + 1`, updatedAt: sql`now()` })
    .where(where)
    .returning();
  return row;
}

/**
 * `UPDATE ... WHERE status = <expected>`: of two concurrent transitions from the same status
 * exactly one matches; the other gets undefined and must report a conflict.
 */
export async function swapStatus(
  tx: Tx,
  id: string,
  from: BookingStatus,
  to: BookingStatus,
  extra: Partial<Pick<BookingRow, 'conciergeId'>> = {},
): Promise<BookingRow | undefined> {
  return changeBooking(tx, { status: to, ...extra }, and(eq(bookings.id, id), eq(bookings.status, from)));
}

/** Hands an assigned booking to another concierge (its status stays). */
export async function setConcierge(tx: Tx, id: string, conciergeId: string): Promise<BookingRow | undefined> {
  return changeBooking(tx, { conciergeId }, eq(bookings.id, id));
}

export async function updateTerms(
  tx: Tx,
  id: string,
  version: number,
  terms: Pick<BookingRow, 'startAt' | 'endAt' | 'addOns' | 'total' | 'priceLines' | 'quoteId'>,
): Promise<BookingRow | undefined> {
  return changeBooking(tx, terms, and(eq(bookings.id, id), eq(bookings.version, version)));
}

/**
 * Claims the booking for a change for `seconds`, unless another change holds an unlapsed claim.
 * The claim does not move the version: it is no change of the booking itself.
 */
export async function claimForChange(tx: Tx, id: string, seconds: number): Promise<BookingRow | undefined> {
  const [row] = await tx
    .update(bookings)
    .set({ changeClaimedUntil: sql`now() + make_interval(secs => ${seconds})` })
    .where(
      and(
        eq(bookings.id, id),
        or(isNull(bookings.changeClaimedUntil), lt(bookings.changeClaimedUntil, sql`now()`)),
      ),
    )
    .returning();
  return row;
}

export async function releaseChangeClaim(db: Db | Tx, id: string): Promise<void> {
  await db.update(bookings).set({ changeClaimedUntil: null }).where(eq(bookings.id, id));
}

export async function replaceAccessToken(tx: Tx, id: string, accessTokenHash: string): Promise<void> {
  await tx.update(bookings).set({ accessTokenHash }).where(eq(bookings.id, id));
}
