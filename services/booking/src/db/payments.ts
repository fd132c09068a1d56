/**
 * Charges, refunds and deposits of bookings with their status history (payment_events), and the
 * ledger (paid, refunded, pending) derived from them.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Tx } from '@midas/db';
import {
  bookings,
  paymentEvents,
  payments,
  type BookingRow,
  type PaymentKind,
  type PaymentPurpose,
  type PaymentRow,
  type PaymentStatus,
} from './schema';
import { firstRow } from './first-row';

export type NewPayment = typeof payments.$inferInsert;

export async function insertPayment(tx: Tx, row: NewPayment): Promise<PaymentRow> {
  const [inserted] = await tx.insert(payments).values(row).returning();
  await recordPaymentEvent(tx, inserted!, inserted!.status, row.reason ?? inserted!.purpose, undefined, {
    role: inserted!.requestedByRole,
    id: inserted!.requestedById ?? undefined,
  });
  return inserted!;
}

export const findPayment = (tx: Tx, id: string) => firstRow(tx, payments, eq(payments.id, id));

export const findPaymentByRef = (tx: Tx, provider: string, providerRef: string) =>
  firstRow(tx, payments, and(eq(payments.provider, provider), eq(payments.providerRef, providerRef)));

/** A booking and its payments (newest first) in one statement, or undefined when there is no such booking. */
export async function bookingWithPayments(
  tx: Tx,
  bookingId: string,
): Promise<{ booking: BookingRow; payments: PaymentRow[] } | undefined> {
  const rows = await tx
    .select({ booking: bookings, payment: payments })
    .from(bookings)
    .leftJoin(payments, eq(payments.bookingId, bookings.id))
    .where(eq(bookings.id, bookingId))
    .orderBy(desc(payments.createdAt));
  if (rows.length === 0) return undefined;
  return { booking: rows[0]!.booking, payments: rows.flatMap((r) => (r.payment ? [r.payment] : [])) };
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

async function recordPaymentEvent(
  tx: Tx,
  payment: PaymentRow,
  status: PaymentStatus | 'attempt_failed',
  detail?: string | null,
  providerEventId?: string,
  actor: { role: string; id?: string } = { role: 'system' },
): Promise<boolean> {
  const rows = await tx
    .insert(paymentEvents)
    .values({
      paymentId: payment.id,
      bookingId: payment.bookingId,
      status,
      amount:
        status === 'succeeded' && payment.capturedAmount !== null ? payment.capturedAmount : payment.amount,
      providerRef: payment.providerRef,
      detail: detail ?? null,
      actorRole: actor.role,
      actorId: actor.id ?? null,
      providerEventId: providerEventId ?? null,
    })
    .onConflictDoNothing()
    .returning({ id: paymentEvents.id });
  return rows.length > 0;
}

export interface StatusChange {
  /** Statuses the payment may leave; `pending` unless told. */
  from?: PaymentStatus[];
  detail?: string;
  /** For a deposit being captured: how much of it. */
  capturedAmount?: number;
  /** The provider's id of the settled charge or capture. */
  chargeRef?: string;
  /** Who asked for the change, when not the system reacting to the provider. */
  actor?: { role: string; id?: string };
}

/**
 * Moves a payment on only from the statuses it may leave, so a duplicate webhook or a retry has
 * no second effect; the change lands in the payment's history.
 */
export async function swapPaymentStatus(
  tx: Tx,
  id: string,
  to: PaymentStatus,
  change: StatusChange = {},
): Promise<PaymentRow | undefined> {
  return movePayment(
    tx,
    id,
    to,
    { ...change, from: change.from ?? ['pending'] },
    {
      settledAt: to === 'succeeded' ? sql`clock_timestamp()` : null,
      ...(change.capturedAmount !== undefined ? { capturedAmount: change.capturedAmount } : {}),
      ...(change.chargeRef !== undefined ? { providerChargeRef: change.chargeRef } : {}),
    },
  );
}

/**
 * The compare-and-swap under every status change: the payment moves to `to` (with `set`) only
 * from the statuses it may leave, and the move lands in its history.
 */
async function movePayment(
  tx: Tx,
  id: string,
  to: PaymentStatus,
  change: { from: PaymentStatus[]; detail?: string; actor?: { role: string; id?: string } },
  set: PgUpdateSetSource<typeof payments>,
): Promise<PaymentRow | undefined> {
  const [row] = await tx
    .update(payments)
    .set({ status: to, ...set })
    .where(and(eq(payments.id, id), inArray(payments.status, change.from)))
    .returning();
  if (row) await recordPaymentEvent(tx, row, to, change.detail, undefined, change.actor);
  return row;
}

/**
 * The outcome of a deposit's authorisation attempt, by compare-and-swap from the statuses it may
 * leave (a job and the sweep racing: one records it). `authorized` keeps the provider's id and the
 * moment; `declined` keeps the refused attempt (and its client secret, for the guest to complete)
 * and counts it, so the next attempt goes under a new idempotency key; `pending` (the dates moved,
 * the old hold voided) clears the provider's id and counts the attempt too.
 */
export async function recordDepositOutcome(
  tx: Tx,
  id: string,
  to: 'authorized' | 'declined' | 'pending',
  change: {
    from: PaymentStatus[];
    providerRef?: string | null;
    clientSecret?: string | null;
    detail: string;
    actor?: { role: string; id?: string };
  },
): Promise<PaymentRow | undefined> {
  return movePayment(tx, id, to, change, {
    ...(change.providerRef !== undefined ? { providerRef: change.providerRef } : {}),
    clientSecret: change.clientSecret ?? null,
    ...(to === 'authorized' ? { authorizedAt: sql`clock_timestamp()` } : { authorizedAt: null }),
    ...(to === 'authorized' ? {} : { authorizeAttempts: sql`${payments.authorizeAttempts} + 1` }),
  });
}

/**
 * A failed attempt on a payment that stays open for a retry (a declined card): history only.
 * Returns false when this provider event was already recorded.
 */
export async function recordFailedAttempt(
  tx: Tx,
  payment: PaymentRow,
  detail: string,
  providerEventId: string,
): Promise<boolean> {
  return recordPaymentEvent(tx, payment, 'attempt_failed', detail, providerEventId);
}

/** Payments still open at the provider: pending charges and deposits, and held or declined deposits. */
export function openPayments(rows: readonly PaymentRow[], kinds: PaymentKind[]): PaymentRow[] {
  return rows.filter(
    (p) =>
      kinds.includes(p.kind) &&
      (p.status === 'pending' ||
        (p.kind === 'deposit' && (p.status === 'authorized' || p.status === 'declined'))),
  );
}

export async function cancelPendingCharges(tx: Tx, bookingId: string): Promise<PaymentRow[]> {
  const open = openPayments(await paymentsOf(tx, bookingId), ['charge', 'deposit']);
  const cancelled: PaymentRow[] = [];
  for (const p of open) {
    const row = await swapPaymentStatus(tx, p.id, 'cancelled', {
      from: ['pending', 'authorized', 'declined'],
      detail: p.kind === 'deposit' ? 'released' : 'abandoned',
    });
    if (row) cancelled.push(row);
  }
  return cancelled;
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
        // A dead-lettered refund is still owed: staff retry or resolve it before the booking closes.
        inArray(payments.status, ['pending', 'dead_lettered']),
        inArray(payments.purpose, purposes),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

export interface BookingLedger {
  /** Succeeded charges. */
  charged: number;
  /** Refunds issued or still on their way, dead-lettered ones included (money promised back counts as gone). */
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
    if (p.kind === 'refund' && ['succeeded', 'pending', 'dead_lettered'].includes(p.status))
      refunded += p.amount;
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

/** The payment whose charge or capture (what refunds go against) the provider calls `chargeRef`. */
export const findPaymentByChargeRef = (tx: Tx, provider: string, chargeRef: string) =>
  firstRow(tx, payments, and(eq(payments.provider, provider), eq(payments.providerChargeRef, chargeRef)));
