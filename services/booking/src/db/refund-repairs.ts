/**
 * Refunds that need more than one go: the refund repair sweep's claim on open refunds (those due
 * for a visit are locked, skipping any another replica holds, their next visit pushed back, so each
 * is worked on by one sweep at a time and a provider that stays away is asked less and less often),
 * the record of attempts the provider failed, and the dead-lettered ones staff list and decide on.
 */
import { and, asc, desc, eq, inArray, isNull, lt, lte, or } from 'drizzle-orm';
import type { Db, Tx } from '@midas/db';
import type { RefundFailureOutcome } from '../domain';
import { firstRow } from './first-row';
import { paymentEvents, payments, type PaymentRow, type PaymentStatus } from './schema';

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

/**
 * The provider said attempt `providerRef` of an open refund failed: recorded once (a second report
 * of the same attempt, or one about an attempt already replaced, finds nothing to change), then
 * either opened for a new attempt at `retryAt` (no provider id: the sweep asks again) or
 * dead-lettered. Returns the refund as it is now, or nothing when the report changed nothing.
 */
export async function recordRefundFailure(
  tx: Tx,
  opts: {
    refundId: string;
    providerRef: string;
    outcome: (failuresBefore: number) => RefundFailureOutcome;
    detail: string;
  },
): Promise<{ refund: PaymentRow; outcome: RefundFailureOutcome } | undefined> {
  const open = await firstRow(
    tx,
    payments,
    and(
      eq(payments.id, opts.refundId),
      eq(payments.kind, 'refund'),
      eq(payments.status, 'pending'),
      eq(payments.providerRef, opts.providerRef),
    ),
    'update',
  );
  if (!open) return undefined;
  const outcome = opts.outcome(open.refundFailures);
  const [refund] = await tx
    .update(payments)
    .set(
      outcome.kind === 'dead_letter'
        ? // The failed attempt's id stays in the history; a retry by staff starts a new one anyway.
          { status: 'dead_lettered', providerRef: null, refundFailures: outcome.failures, nextRepairAt: null }
        : {
            providerRef: null,
            refundFailures: outcome.failures,
            nextRepairAt: outcome.retryAt,
          },
    )
    .where(eq(payments.id, open.id))
    .returning();
  await tx.insert(paymentEvents).values({
    paymentId: open.id,
    bookingId: open.bookingId,
    status: outcome.kind === 'dead_letter' ? 'dead_lettered' : 'attempt_failed',
    amount: open.amount,
    providerRef: opts.providerRef,
    detail:
      outcome.kind === 'dead_letter'
        ? `${opts.detail}; attempt ${outcome.failures} failed, no more automatic attempts`
        : `${opts.detail}; attempt ${outcome.failures} failed, next at ${outcome.retryAt.toISOString()}`,
  });
  return { refund: refund!, outcome };
}

export async function findRefund(
  tx: Tx,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<PaymentRow | undefined> {
  const query = tx
    .select()
    .from(payments)
    .where(and(eq(payments.id, id), eq(payments.kind, 'refund')));
  const [row] = opts.lock ? await query.for('update') : await query;
  return row;
}

/** The latest failure detail recorded for each of these refunds. */
export async function lastRefundFailures(tx: Tx, refundIds: readonly string[]): Promise<Map<string, string>> {
  if (!refundIds.length) return new Map();
  const rows = await tx
    .selectDistinctOn([paymentEvents.paymentId], {
      paymentId: paymentEvents.paymentId,
      detail: paymentEvents.detail,
    })
    .from(paymentEvents)
    .where(
      and(
        inArray(paymentEvents.paymentId, [...refundIds]),
        inArray(paymentEvents.status, ['attempt_failed', 'dead_lettered', 'failed']),
      ),
    )
    .orderBy(paymentEvents.paymentId, desc(paymentEvents.id));
  return new Map(rows.filter((r) => r.detail).map((r) => [r.paymentId, r.detail!]));
}

/** Refunds newest first, by status and booking, after a (createdAt, id) cursor. */
export async function listRefunds(
  tx: Tx,
  filter: { status?: PaymentStatus; bookingId?: string },
  page: { limit: number; after?: { createdAt: string; id: string } },
): Promise<PaymentRow[]> {
  const after = page.after;
  return tx
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.kind, 'refund'),
        filter.status ? eq(payments.status, filter.status) : undefined,
        filter.bookingId ? eq(payments.bookingId, filter.bookingId) : undefined,
        after
          ? or(
              lt(payments.createdAt, new Date(after.createdAt)),
              and(eq(payments.createdAt, new Date(after.createdAt)), lt(payments.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(page.limit);
}

/**
 * Staff's answer to a dead-lettered refund: `retry` opens it for one more attempt now, `succeeded`
 * (given back another way) or `cancelled` (written off) closes it. The reason and who decided go
 * into the refund's history. Nothing when the refund is no longer dead-lettered.
 */
export async function reopenDeadLetteredRefund(
  tx: Tx,
  id: string,
  actor: { role: string; id?: string },
  reason: string,
  now: Date,
): Promise<PaymentRow | undefined> {
  const [row] = await tx
    .update(payments)
    .set({ status: 'pending', providerRef: null, nextRepairAt: now })
    .where(and(eq(payments.id, id), eq(payments.kind, 'refund'), eq(payments.status, 'dead_lettered')))
    .returning();
  if (row) {
    await tx.insert(paymentEvents).values({
      paymentId: row.id,
      bookingId: row.bookingId,
      status: 'pending',
      amount: row.amount,
      detail: `retried by staff: ${reason}`,
      actorRole: actor.role,
      actorId: actor.id ?? null,
    });
  }
  return row;
}
