/**
 * What a provider says one of our payments is now (re-fetched, never taken from a webhook's
 * body) applied to the booking. Acting on the current state rather than on the event that
 * prompted the look makes duplicates and out-of-order deliveries harmless: an old
 * `payment_failed` that arrives after the success finds a succeeded payment and does nothing.
 */
import { enqueueEvent } from '@midas/messaging';
import { findBooking } from '../db/bookings';
import { findPayment, recordDepositOutcome, recordFailedAttempt, swapPaymentStatus } from '../db/payments';
import type { PaymentRow } from '../db/schema';
import { summaryOf } from '../events/publish/booking-summary';
import type { PaymentState } from '../payments/payment-provider';
import { confirmPayment } from './confirm-payment';
import type { FlowContext } from './context';
import { expireBookingNow } from './expire-booking';

export interface StateSource {
  /** The provider event that prompted the look, when it reports a failed attempt. */
  failureEventId?: string;
}

export async function applyPaymentState(
  deps: FlowContext,
  payment: PaymentRow,
  state: PaymentState,
  source: StateSource = {},
): Promise<void> {
  if (payment.kind === 'deposit') return applyDepositState(deps, payment, state);
  if (payment.kind !== 'charge') return;
  switch (state.status) {
    case 'succeeded':
      await confirmPayment(deps, payment.id, { chargeRef: state.chargeRef });
      return;
    case 'cancelled':
      await deps.db.transaction((tx) =>
        swapPaymentStatus(tx, payment.id, 'cancelled', { detail: 'cancelled at the provider' }),
      );
      return;
    case 'pending':
      if (state.lastFailure && source.failureEventId)
        await recordFailure(deps, payment, state.lastFailure, source.failureEventId);
      return;
    default:
      // Processing or authorised: the outcome arrives with a later event.
      return;
  }
}

/**
 * A declined attempt leaves the payment open so the guest can retry with the same client
 * secret until the hold lapses; one that fails after the hold lapsed expires the booking.
 */
async function recordFailure(
  deps: FlowContext,
  payment: PaymentRow,
  reason: string,
  eventId: string,
): Promise<void> {
  const booking = await deps.db.transaction(async (tx) => {
    const current = await findPayment(tx, payment.id);
    if (current?.status !== 'pending') return undefined;
    if (!(await recordFailedAttempt(tx, current, reason, eventId))) return undefined;
    const booking = (await findBooking(tx, current.bookingId))!;
    await enqueueEvent(tx, 'booking', {
      type: 'payment.failed',
      data: { ...summaryOf(booking), provider: current.provider, reason },
    });
    return booking;
  });
  if (
    booking?.status === 'pending_payment' &&
    payment.purpose === 'booking' &&
    booking.holdExpiresAt &&
    booking.holdExpiresAt.getTime() <= deps.now().getTime()
  ) {
    await expireBookingNow(deps, booking.id);
  }
}

async function applyDepositState(deps: FlowContext, deposit: PaymentRow, state: PaymentState): Promise<void> {
  await deps.db.transaction(async (tx) => {
    if (state.status === 'authorized') {
      // A declined deposit the guest completed themselves (its client secret) is held too.
      await recordDepositOutcome(tx, deposit.id, 'authorized', {
        from: ['pending', 'declined'],
        detail: 'held on the card',
      });
    } else if (state.status === 'succeeded') {
      await swapPaymentStatus(tx, deposit.id, 'succeeded', {
        from: ['pending', 'authorized', 'declined'],
        capturedAmount: state.amountReceived,
        chargeRef: state.chargeRef,
        detail: 'captured',
      });
    } else if (state.status === 'cancelled') {
      await swapPaymentStatus(tx, deposit.id, 'cancelled', {
        from: ['pending', 'authorized'],
        detail: 'released',
      });
    }
  });
}
