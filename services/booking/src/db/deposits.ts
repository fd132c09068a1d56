/** Deposits waiting for their authorisation (or its renewal), for the deposit repair sweep. */
import { and, asc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { DEPOSIT_AUTHORIZABLE } from '../domain/deposit-schedule';
import { bookings, payments } from './schema';

export interface WaitingDeposit {
  bookingId: string;
  startAt: Date;
  endAt: Date;
}

/**
 * Active bookings not yet over whose deposit is still `pending`, or `authorized` since booking
 * with one of `renewable` (providers whose hold is renewed at the lead time), soonest start first,
 * after `after` (paging).
 */
export async function waitingDeposits(
  tx: Tx,
  opts: { now: Date; renewable: string[]; limit: number; after?: { startAt: Date; id: string } },
): Promise<WaitingDeposit[]> {
  const waiting =
    opts.renewable.length > 0
      ? or(
          eq(payments.status, 'pending'),
          and(eq(payments.status, 'authorized'), inArray(payments.provider, opts.renewable)),
        )
      : eq(payments.status, 'pending');
  const rows = await tx
    .select({ bookingId: bookings.id, startAt: bookings.startAt, endAt: bookings.endAt })
    .from(payments)
    .innerJoin(bookings, eq(bookings.id, payments.bookingId))
    .where(
      and(
        eq(payments.kind, 'deposit'),
        waiting,
        inArray(bookings.status, [...DEPOSIT_AUTHORIZABLE]),
        gt(bookings.endAt, opts.now),
        opts.after
          ? sql`(${bookings.startAt}, ${bookings.id}) > (${opts.after.startAt.toISOString()}::timestamptz, ${opts.after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(asc(bookings.startAt), asc(bookings.id))
    .limit(opts.limit);
  return rows;
}
