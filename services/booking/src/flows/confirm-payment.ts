/**
 * A charge succeeded (the local confirm endpoint, Stripe's webhook, PayPal's capture). For the
 * booking's own charge: availability turns the hold into a booked slot (re-taking it if the hold
 * lapsed and the slot is still free), the booking becomes `confirmed` with the customer's standing
 * updated, a concierge is assigned and the lifecycle jobs are scheduled. A charge for a change of
 * dates only settles. Money that arrives for a booking that can no longer take place is refunded
 * in full, and the guest is told why (DESIGN.md step 5). Repeats have no effect.
 */
import { availabilityRpc, Conflict, isDomainError } from '@midas/contracts';
import { enqueueEvent } from '@midas/messaging';
import type { Tx } from '@midas/db';
import { findBooking, lockBooking } from '../db/bookings';
import { cancelPendingCharges, findPayment, swapPaymentStatus } from '../db/payments';
import type { BookingRow, PaymentRow } from '../db/schema';
import { assignConcierge } from './assign-concierge';
import { SYSTEM, type FlowDeps } from './deps';
import { recordRefunds, startRefunds } from './refund-payments';
import { transition, tryTransition } from './transition-booking';
import { updateCustomerStanding } from './update-customer-standing';

/** The refund reason the notification service turns into the late-payment email. */
export const LATE_PAYMENT_SLOT_TAKEN = 'late_payment_slot_taken';

export interface ChargeFacts {
  /** The provider's id of the settled charge or capture (what refunds go against). */
  chargeRef?: string;
}

export async function confirmPayment(
  deps: FlowDeps,
  paymentId: string,
  facts: ChargeFacts = {},
): Promise<BookingRow> {
  const payment = await findPayment(deps.db, paymentId);
  if (!payment || payment.kind !== 'charge') throw new Conflict('not_a_charge', 'No such charge to confirm');
  const booking = (await findBooking(deps.db, payment.bookingId))!;
  // A charge we abandoned can still succeed at the provider (the guest paid as we gave up): that
  // money is real and goes back below, so only settled or failed charges are done with.
  if (payment.status !== 'pending' && payment.status !== 'cancelled') return booking;

  if (payment.purpose === 'booking' && booking.status === 'pending_payment' && payment.status === 'pending') {
    let slotLost = false;
    try {
      await deps.rpc.call(
        availabilityRpc.confirm,
        { holdId: booking.holdId!, bookingId: booking.id },
        { timeoutMs: deps.rpcTimeoutMs },
      );
    } catch (err) {
      if (!(isDomainError(err) && err.code === 'slot_taken')) throw err;
      slotLost = true;
    }
    if (!slotLost) {
      const outcome = await deps.db.transaction(async (tx) => {
        // The row lock orders this against a racing duplicate delivery, a cancellation or an expiry.
        const current = (await lockBooking(tx, booking.id))!;
        const fresh = (await findPayment(tx, payment.id))!;
        if (fresh.status === 'succeeded') return { kind: 'already' as const };
        if (current.status !== 'pending_payment') return { kind: 'moved_on' as const };
        await settleCharge(tx, fresh, current, facts);
        const confirmed = await transition(tx, {
          booking: current,
          to: 'confirmed',
          actor: SYSTEM,
          reason: 'payment_succeeded',
        });
        return { kind: 'confirmed' as const, confirmed };
      });
      if (outcome.kind === 'confirmed') {
        const assigned = await assignConcierge(deps.db, booking.id);
        await deps.lifecycleJobs?.scheduleLifecycleJobs(assigned ?? outcome.confirmed);
      }
      if (outcome.kind !== 'moved_on') return (await findBooking(deps.db, booking.id))!;
      // Cancelled or expired while the payment was on its way: the slot just booked goes back.
      await deps.rpc
        .call(availabilityRpc.release, { bookingId: booking.id }, { timeoutMs: deps.rpcTimeoutMs })
        .catch((err: unknown) =>
          deps.logger.warn({ err, bookingId: booking.id }, 'could not release the slot'),
        );
    }
    return refundInFull(deps, payment, slotLost ? 'slot_lost' : 'late_payment', facts);
  }

  if (['cancelled', 'expired', 'refunded'].includes(booking.status) || payment.status === 'cancelled')
    return refundInFull(deps, payment, 'late_payment', facts);
  await deps.db.transaction((tx) => settleCharge(tx, payment, booking, facts));
  return (await findBooking(deps.db, booking.id))!;
}

/** Marks the charge succeeded once, with the customer's standing and the payment.succeeded event. */
async function settleCharge(
  tx: Tx,
  payment: PaymentRow,
  booking: BookingRow,
  facts: ChargeFacts,
): Promise<boolean> {
  const settled = await swapPaymentStatus(tx, payment.id, 'succeeded', {
    from: ['pending', 'cancelled'],
    chargeRef: facts.chargeRef,
    detail: payment.status === 'cancelled' ? 'paid after it was abandoned' : undefined,
  });
  if (!settled) return false;
  await updateCustomerStanding(tx, booking.customerId, settled.amount, settled.currency);
  await enqueueEvent(tx, 'booking', {
    type: 'payment.succeeded',
    data: {
      bookingId: booking.id,
      provider: settled.provider,
      amount: settled.amount,
      currency: settled.currency,
      paymentId: settled.id,
      purpose: settled.purpose,
    },
  });
  return true;
}

/**
 * Money arrived for a booking that cannot take place: keep the record, give it all back. When
 * someone else took the slot, the refund's reason tells the guest so (late_payment_slot_taken).
 */
async function refundInFull(
  deps: FlowDeps,
  payment: PaymentRow,
  purpose: 'slot_lost' | 'late_payment',
  facts: ChargeFacts,
): Promise<BookingRow> {
  const reason = purpose === 'slot_lost' ? LATE_PAYMENT_SLOT_TAKEN : purpose;
  const { refunds, released } = await deps.db.transaction(async (tx) => {
    const booking = (await findBooking(tx, payment.bookingId))!;
    if (!(await settleCharge(tx, payment, booking, facts))) return { refunds: [], released: [] };
    if (booking.status === 'pending_payment') {
      await tryTransition(tx, { booking, to: 'cancelled', actor: SYSTEM, reason });
    }
    const settled = (await findBooking(tx, payment.bookingId))!;
    // Nothing will take place, so nothing else stays open: other pending charges and the deposit go too.
    const released = ['cancelled', 'expired'].includes(settled.status)
      ? await cancelPendingCharges(tx, settled.id)
      : [];
    const refunds = await recordRefunds(
      tx,
      deps,
      settled,
      payment.amount,
      purpose,
      SYSTEM,
      reason,
      payment.id,
    );
    return { refunds, released };
  });
  for (const p of released) {
    if (!p.providerRef) continue;
    await deps.payments
      .cancelPayment(p.providerRef)
      .catch((err: unknown) =>
        deps.logger.warn({ err, paymentId: p.id }, 'could not cancel a payment at the provider'),
      );
  }
  await startRefunds(deps, refunds);
  return (await findBooking(deps.db, payment.bookingId))!;
}
