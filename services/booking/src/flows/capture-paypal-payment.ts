/**
 * POST /v1/payments/paypal/:bookingId/capture: the guest approved the PayPal order in their
 * browser; capturing it is what moves the money, and the order's state afterwards settles the
 * booking through the same path as any provider's success.
 */
import { Conflict, Unavailable } from '@midas/contracts';
import { findBooking } from '../db/bookings';
import { paymentsOf } from '../db/payments';
import type { BookingRow } from '../db/schema';
import { applyPaymentState } from './apply-payment-state';
import type { Caller, FlowDeps } from './deps';
import { findVisibleBooking } from './find-visible-booking';

export async function capturePayPalPayment(
  deps: FlowDeps,
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
    (p) => p.kind === 'charge' && p.status === 'pending' && p.provider === 'paypal' && p.providerRef,
  );
  if (pending.length === 0)
    throw new Conflict('nothing_to_capture', 'No PayPal payment is waiting for capture');
  for (const payment of pending.reverse()) {
    const state = await complete(payment.providerRef!).catch((err: unknown) => {
      deps.logger.warn({ err, paymentId: payment.id }, 'PayPal capture failed');
      throw new Unavailable('payment_provider_unavailable', 'PayPal did not answer; please retry');
    });
    if (state.status === 'pending' && !state.lastFailure) {
      throw new Conflict('order_not_approved', 'The PayPal order has not been approved by the payer yet');
    }
    await applyPaymentState(deps, payment, state, {
      failureEventId: state.lastFailure
        ? `paypal-capture-${state.chargeRef ?? payment.providerRef}`
        : undefined,
    });
  }
  return (await findBooking(deps.db, booking.id))!;
}
