/**
 * Step 4, start the payment: the provider-side payment of the booking's charge (and of its
 * deposit), outside any transaction, then its reference recorded. A provider that fails makes
 * the booking fail as `payment_unavailable` (the earlier steps are undone by the runner).
 */
import { Unavailable } from '@midas/contracts';
import { recordProviderRef } from '../../db/payments';
import type { BookingRow, PaymentRow } from '../../db/schema';
import type { SagaStep } from '../../domain/saga';
import { providerOf, type FlowContext } from '../context';
import { needed, type CreateBookingState } from './state';

interface Started {
  payment: PaymentRow;
  deposit?: PaymentRow;
}

export const startPayments: SagaStep<CreateBookingState, Started> = {
  name: 'start the payment',
  run: async (state) => {
    const booking = needed(state.booking, 'booking');
    const payment = await startPayment(state.deps, booking, needed(state.payment, 'payment'), state.deposit);
    const deposit = state.deposit && (await startDeposit(state.deps, booking, state.deposit));
    return { payment, deposit };
  },
  merge: (state, started) => ({ ...state, ...started }),
};

/**
 * A deposit the payer approves with the payment (PayPal's order, `local`) starts now; one
 * authorised at its lead time (Stripe) waits for the deposit job, with the card the payment saves.
 */
export async function startDeposit(
  deps: FlowContext,
  booking: BookingRow,
  deposit: PaymentRow,
): Promise<PaymentRow> {
  if (providerOf(deps, deposit).depositTiming === 'lead_time') return deposit;
  return startPayment(deps, booking, deposit);
}

/** Creates the provider-side payment and records its reference; a failure is `payment_unavailable`. */
export async function startPayment(
  deps: FlowContext,
  booking: BookingRow,
  payment: PaymentRow,
  deposit?: PaymentRow,
): Promise<PaymentRow> {
  try {
    const period = `${booking.startAt.toISOString()} – ${booking.endAt.toISOString()}`;
    const created = await providerOf(deps, payment).createPayment({
      paymentId: payment.id,
      bookingId: booking.id,
      amount: payment.amount,
      currency: payment.currency,
      description:
        payment.kind === 'deposit'
          ? `Security deposit, ${booking.itemName} ${period}`
          : `${booking.itemName} ${period}`,
      capture: payment.kind === 'deposit' ? 'manual' : 'automatic',
      // The deposit is authorised later without the guest: their card is kept for it.
      saveCard: deposit !== undefined && providerOf(deps, deposit).depositTiming === 'lead_time',
    });
    await recordProviderRef(deps.db, payment.id, created.providerRef, created.clientSecret).catch(
      async (err: unknown) => {
        // The booking is undone without knowing this payment's provider id: cancel it here, so
        // nothing stays payable at the provider (reconciliation still finds it by our id).
        await providerOf(deps, payment)
          .cancelPayment(created.providerRef)
          .catch((cancelErr: unknown) =>
            deps.logger.warn(
              { err: cancelErr, paymentId: payment.id },
              'could not cancel an unrecorded payment',
            ),
          );
        throw err;
      },
    );
    return { ...payment, providerRef: created.providerRef, clientSecret: created.clientSecret ?? null };
  } catch (err) {
    deps.logger.warn({ err, bookingId: booking.id }, 'payment could not be started; cancelling the booking');
    throw new Unavailable(
      'payment_unavailable',
      'The payment could not be started; nothing was booked, please retry',
    );
  }
}
