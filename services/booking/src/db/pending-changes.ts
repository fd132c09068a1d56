/** Reads and writes of changes waiting for their payment; every status change is a compare-and-swap from `pending`. */
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { pendingChanges, type PendingChangeRow, type PendingChangeStatus } from './schema';
import { firstRow } from './first-row';

export type NewPendingChange = typeof pendingChanges.$inferInsert;

export async function insertPendingChange(tx: Tx, row: NewPendingChange): Promise<PendingChangeRow> {
  const [inserted] = await tx.insert(pendingChanges).values(row).returning();
  return inserted!;
}

export const waitingChangeOf = (tx: Tx, bookingId: string) =>
  firstRow(
    tx,
    pendingChanges,
    and(eq(pendingChanges.bookingId, bookingId), eq(pendingChanges.status, 'pending')),
  );

export const changeOfPayment = (tx: Tx, paymentId: string) =>
  firstRow(tx, pendingChanges, eq(pendingChanges.paymentId, paymentId));

/** The row locked until the transaction ends, so applying and lapsing it cannot interleave. */
export const lockChange = (tx: Tx, id: string) =>
  firstRow(tx, pendingChanges, eq(pendingChanges.id, id), 'update');

export async function settleChange(
  tx: Tx,
  id: string,
  to: Exclude<PendingChangeStatus, 'pending'>,
): Promise<PendingChangeRow | undefined> {
  const [row] = await tx
    .update(pendingChanges)
    .set({ status: to, settledAt: sql`clock_timestamp()` })
    .where(and(eq(pendingChanges.id, id), eq(pendingChanges.status, 'pending')))
    .returning();
  return row;
}

export async function lapsedChanges(tx: Tx, now: Date, limit: number): Promise<PendingChangeRow[]> {
  return tx
    .select()
    .from(pendingChanges)
    .where(and(eq(pendingChanges.status, 'pending'), lte(pendingChanges.expiresAt, now)))
    .orderBy(asc(pendingChanges.expiresAt))
    .limit(limit);
}
