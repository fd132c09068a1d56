/**
 * POST /v1/payments/paypal/:bookingId/capture: the guest approved the PayPal orders in their
 * browser; capturing a charge's order is what moves the money, authorising a deposit's order is
 * what holds it, and each order's state afterwards settles the booking through the same path as
 * any provider's answer. A capture PayPal holds PENDING stays pending until its webhook settles it.
 */
import { Conflict, Unavailable } from '@midas/contracts';
import { findBooking } from '../db/bookings';
import { paymentsOf } from '../db/payments';
import type { BookingRow } from '../db/schema';
import { applyPaymentState } from './apply-payment-state';
import type { Caller, FlowContext } from './context';
import { findVisibleBooking } from './find-visible-booking';

export async function capturePayPalPayment(
  deps: FlowContext,
  caller: Caller,
  bookingId: string,
): Promise<BookingRow> {
  const { booking } = await findVisibleBooking(deps.db, bookingId, caller);
  const paypal = deps.payments.find('paypal');
  const complete = paypal?.completePayment?.bind(paypal);
  if (booking.paymentProvider !== 'paypal' || !complete) {
    throw new Conflict('not_paypal_payment', 'This booking is not paid through PayPal');
  }
  const pending = (await paymentsOf(deps.db, booking.id)).filter(
    (p) =>
      (p.kind === 'charge' || p.kind === 'deposit') &&
      p.status === 'pending' &&
      p.provider === 'paypal' &&
      p.providerRef,
  );
  if (pending.length === 0)
    throw new Conflict('nothing_to_capture', 'No PayPal payment is waiting for capture');
  let unapproved = 0;
  // Oldest first: the booking's own charge confirms it before a change's charge or the deposit.
  for (const payment of pending.reverse()) {
    const mode = payment.kind === 'deposit' ? 'manual' : 'automatic';
    const state = await complete(payment.providerRef!, mode).catch((err: unknown) => {
      deps.logger.warn({ err, paymentId: payment.id }, 'PayPal capture failed');
      throw new Unavailable('payment_provider_unavailable', 'PayPal did not answer; please retry');
    });
    if (state.status === 'pending' && !state.lastFailure) {
      unapproved += 1;
      continue;
    }
    await applyPaymentState(deps, payment, state, {
      failureEventId: state.lastFailure
        ? `paypal-capture-${state.chargeRef ?? payment.providerRef}`
        : undefined,
    });
  }
  if (unapproved === pending.length) {
    throw new Conflict('order_not_approved', 'The PayPal order has not been approved by the payer yet');
  }
  return (await findBooking(deps.db, booking.id))!;
}
