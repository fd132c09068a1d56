/**
 * The hold of an unpaid booking lapsed (availability's hold.expired, or a failed payment that
 * was still on its way when it lapsed): the booking becomes `expired` once its payments are
 * abandoned at the provider. A payment the provider can no longer cancel (processing, or paid
 * a moment ago) keeps the booking `pending_payment`: that payment's outcome decides, through the
 * late-payment path when it succeeds or through this flow again when it fails.
 */
import type { Tx } from '@midas/db';
import { findBooking, findBookingByHold } from '../db/bookings';
import { cancelPendingCharges, ledgerOf, openPayments, paymentsOf } from '../db/payments';
import type { BookingRow } from '../db/schema';
import { providerOf, SYSTEM, type FlowContext } from './context';
import { tryTransition } from './transition-booking';

export type ExpiryOutcome = 'expired' | 'awaiting_payment' | 'not_applicable';

/** For the hold.expired consumer, inside its inbox transaction. */
export async function expireBookingOfHold(
  deps: Pick<FlowContext, 'payments' | 'logger'>,
  tx: Tx,
  holdId: string,
): Promise<ExpiryOutcome> {
  const booking = await findBookingByHold(tx, holdId);
  return booking ? expireBooking(deps, tx, booking) : 'not_applicable';
}

export async function expireBooking(
  deps: Pick<FlowContext, 'payments' | 'logger'>,
  tx: Tx,
  booking: BookingRow,
): Promise<ExpiryOutcome> {
  if (booking.status !== 'pending_payment') return 'not_applicable';
  const rows = await paymentsOf(tx, booking.id);
  if (ledgerOf(rows).charged > 0) return 'not_applicable';
  // Charges first: a deposit is only released once the booking is sure to expire.
  const open = openPayments(rows, ['charge']).concat(openPayments(rows, ['deposit']));
  for (const payment of open) {
    if (!payment.providerRef) continue;
    if ((await providerOf(deps, payment).cancelPayment(payment.providerRef)) === 'not_cancellable') {
      deps.logger.info(
        { bookingId: booking.id, paymentId: payment.id },
        'hold lapsed with a payment on its way; its outcome decides the booking',
      );
      return 'awaiting_payment';
    }
  }
  const expired = await tryTransition(tx, { booking, to: 'expired', actor: SYSTEM, reason: 'hold_lapsed' });
  if (!expired) return 'not_applicable';
  await cancelPendingCharges(tx, booking.id);
  return 'expired';
}

/** Expires a booking by id in its own transaction (the failed-payment path). */
export async function expireBookingNow(
  deps: Pick<FlowContext, 'db' | 'payments' | 'logger'>,
  bookingId: string,
): Promise<ExpiryOutcome> {
  return deps.db.transaction(async (tx) => {
    const booking = await findBooking(tx, bookingId);
    return booking ? expireBooking(deps, tx, booking) : 'not_applicable';
  });
}
