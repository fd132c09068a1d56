/**
 * POST /v1/payments/local/:bookingId/confirm: with the `local` provider, whoever holds the booking
 * marks its pending charges paid (and its deposit held), which runs exactly what a provider's
 * webhook runs.
 */
import { Conflict, NotFound } from '@midas/contracts';
import { bookingWithPayments } from '../db/payments';
import type { BookingRow, PaymentRow } from '../db/schema';
import { applyPaymentState } from './apply-payment-state';
import { confirmCharge } from './confirm-payment';
import type { Caller, FlowContext } from './context';
import { visibility } from './find-visible-booking';

export async function confirmLocalPayment(
  deps: FlowContext,
  caller: Caller,
  bookingId: string,
): Promise<{ booking: BookingRow; payments: PaymentRow[] }> {
  // The booking and its payments in one read: the slot is confirmed over RPC before any transaction.
  const read = await bookingWithPayments(deps.db, bookingId);
  const visible = read && visibility(read.booking, caller);
  if (!read || !visible) throw new NotFound('booking');
  const { booking } = visible;
  const pending = read.payments.filter(
    (p) => (p.kind === 'charge' || p.kind === 'deposit') && p.status === 'pending',
  );
  if (
    pending.some((p) => p.provider !== 'local') ||
    (pending.length === 0 && booking.paymentProvider !== 'local')
  ) {
    throw new Conflict('not_local_payment', 'This booking is not paid through the local provider');
  }
  if (pending.length === 0) return read;
  // Oldest first: the booking's own charge confirms it before any later change's charge settles.
  let last: { booking: BookingRow; payments?: PaymentRow[] } | undefined;
  let deposits = false;
  for (const payment of pending.reverse()) {
    if (payment.kind === 'charge') {
      // What a provider's success runs, given the rows this request already read.
      last = await confirmCharge(deps, payment.id, {}, { payment, booking: last?.booking ?? booking });
      continue;
    }
    // A deposit held changes no booking row: `last` stays current.
    await applyPaymentState(deps, payment, { status: 'authorized', amountReceived: 0 });
    deposits = true;
  }
  if (last?.payments && !deposits) return { booking: last.booking, payments: last.payments };
  const now = (await bookingWithPayments(deps.db, booking.id))!;
  return { booking: last?.booking ?? now.booking, payments: now.payments };
}
