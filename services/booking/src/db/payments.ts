/** Charges and refunds of bookings, and the ledger (paid, refunded, pending) derived from them. */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { payments, type PaymentPurpose, type PaymentRow, type PaymentStatus } from './schema';

export type NewPayment = typeof payments.$inferInsert;

export async function insertPayment(tx: Tx, row: NewPayment): Promise<PaymentRow> {
  const [inserted] = await tx.insert(payments).values(row).returning();
  return inserted!;
}

export async function findPayment(tx: Tx, id: string): Promise<PaymentRow | undefined> {
  const [row] = await tx.select().from(payments).where(eq(payments.id, id));
  return row;
}

export async function paymentsOf(tx: Tx, bookingId: string): Promise<PaymentRow[]> {
  return tx
    .select()
    .from(payments)
    .where(eq(payments.bookingId, bookingId))
    .orderBy(desc(payments.createdAt));
}

export async function recordProviderRef(
  tx: Tx,
  id: string,
  providerRef: string,
  clientSecret?: string,
): Promise<void> {
  await tx
    .update(payments)
    .set({ providerRef, clientSecret: clientSecret ?? null })
    .where(eq(payments.id, id));
}

/** Settles or abandons a payment only from `pending`, so a duplicate webhook or a retry has no second effect. */
export async function swapPaymentStatus(
  tx: Tx,
  id: string,
  to: PaymentStatus,
): Promise<PaymentRow | undefined> {
  const [row] = await tx
    .update(payments)
    .set({ status: to, settledAt: to === 'succeeded' ? sql`clock_timestamp()` : null })
    .where(and(eq(payments.id, id), eq(payments.status, 'pending')))
    .returning();
  return row;
}

export async function cancelPendingCharges(tx: Tx, bookingId: string): Promise<PaymentRow[]> {
  return tx
    .update(payments)
    .set({ status: 'cancelled' })
    .where(
      and(eq(payments.bookingId, bookingId), eq(payments.kind, 'charge'), eq(payments.status, 'pending')),
    )
    .returning();
}

export async function hasPendingRefunds(
  tx: Tx,
  bookingId: string,
  purposes: PaymentPurpose[],
): Promise<boolean> {
  const rows = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(
      and(
        eq(payments.bookingId, bookingId),
        eq(payments.kind, 'refund'),
        eq(payments.status, 'pending'),
        inArray(payments.purpose, purposes),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

export interface BookingLedger {
  /** Succeeded charges. */
  charged: number;
  /** Refunds issued or still on their way (money promised back counts as gone). */
  refunded: number;
  /** Charges created and not yet paid. */
  pendingCharges: number;
  paidNet: number;
}

export function ledgerOf(rows: readonly PaymentRow[]): BookingLedger {
  let charged = 0;
  let refunded = 0;
  let pendingCharges = 0;
  for (const p of rows) {
    if (p.kind === 'charge' && p.status === 'succeeded') charged += p.amount;
    if (p.kind === 'charge' && p.status === 'pending') pendingCharges += p.amount;
    if (p.kind === 'refund' && (p.status === 'succeeded' || p.status === 'pending')) refunded += p.amount;
  }
  return { charged, refunded, pendingCharges, paidNet: charged - refunded };
}

/** Succeeded charges with what is left to refund from each, newest first. */
export function refundableCharges(
  rows: readonly PaymentRow[],
): { id: string; providerRef: string | null; refundable: number }[] {
  return rows
    .filter((p) => p.kind === 'charge' && p.status === 'succeeded')
    .map((charge) => {
      const back = rows
        .filter(
          (r) =>
            r.kind === 'refund' &&
            r.refundOf === charge.id &&
            r.status !== 'failed' &&
            r.status !== 'cancelled',
        )
        .reduce((sum, r) => sum + r.amount, 0);
      return { id: charge.id, providerRef: charge.providerRef, refundable: charge.amount - back };
    });
}
