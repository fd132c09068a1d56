/**
 * The refund repair sweep's claim on open refunds: those due for a visit are locked (skipping any
 * another replica holds), their next visit pushed back, and handed over, so each is worked on by
 * one sweep at a time and a provider that stays away is asked less and less often.
 */
import { and, asc, eq, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '@midas/db';
import { payments, type PaymentRow } from './schema';

export async function claimRefundsToRepair(
  db: Db,
  opts: {
    now: Date;
    /** Refunds never visited are left alone until created before this (their own start may still be running). */
    firstVisitBefore: Date;
    limit: number;
    /** When the refund is visited next, given its visit count including this one. */
    nextVisit: (attempts: number) => Date;
  },
): Promise<PaymentRow[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(payments)
      .where(
        and(
          eq(payments.kind, 'refund'),
          eq(payments.status, 'pending'),
          or(
            and(isNull(payments.nextRepairAt), lte(payments.createdAt, opts.firstVisitBefore)),
            lte(payments.nextRepairAt, opts.now),
          ),
        ),
      )
      .orderBy(asc(payments.createdAt))
      .limit(opts.limit)
      .for('update', { skipLocked: true });
    const claimed: PaymentRow[] = [];
    for (const refund of due) {
      const repairAttempts = refund.repairAttempts + 1;
      const nextRepairAt = opts.nextVisit(repairAttempts);
      await tx.update(payments).set({ repairAttempts, nextRepairAt }).where(eq(payments.id, refund.id));
      claimed.push({ ...refund, repairAttempts, nextRepairAt });
    }
    return claimed;
  });
}
