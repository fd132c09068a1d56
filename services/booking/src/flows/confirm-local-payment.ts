/**
 * POST /v1/payments/local/:bookingId/confirm: with the `local` provider, whoever holds the booking
 * marks its pending charges paid (and its deposit held), which runs exactly what a provider's
 * webhook runs.
 */
import { Conflict } from '@midas/contracts';
import { findBooking } from '../db/bookings';
import { paymentsOf } from '../db/payments';
import type { BookingRow } from '../db/schema';
import { applyPaymentState } from './apply-payment-state';
import { confirmPayment } from './confirm-payment';
import type { Caller, FlowContext } from './context';
import { findVisibleBooking } from './find-visible-booking';

export async function confirmLocalPayment(
  deps: FlowContext,
  caller: Caller,
  bookingId: string,
): Promise<BookingRow> {
  const { booking } = await findVisibleBooking(deps.db, bookingId, caller);
  const pending = (await paymentsOf(deps.db, booking.id)).filter(
    (p) => (p.kind === 'charge' || p.kind === 'deposit') && p.status === 'pending',
  );
  if (
    pending.some((p) => p.provider !== 'local') ||
    (pending.length === 0 && booking.paymentProvider !== 'local')
  ) {
    throw new Conflict('not_local_payment', 'This booking is not paid through the local provider');
  }
  // Oldest first: the booking's own charge confirms it before any later change's charge settles.
  let last: BookingRow | undefined;
  for (const payment of pending.reverse()) {
    if (payment.kind === 'charge') {
      // What a provider's success runs, given the rows this request already read.
      last = await confirmPayment(deps, payment.id, {}, { payment, booking: last ?? booking });
      continue;
    }
    // A deposit held changes no booking row: `last` stays current.
    await applyPaymentState(deps, payment, { status: 'authorized', amountReceived: 0 });
  }
  return last ?? (await findBooking(deps.db, booking.id))!;
}
