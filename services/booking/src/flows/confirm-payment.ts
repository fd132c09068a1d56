/**
 * A charge succeeded (the local confirm endpoint, Stripe's webhook, PayPal's capture). For the
 * booking's own charge: availability turns the hold into a booked slot (re-taking it if the hold
 * lapsed and the slot is still free), the booking becomes `confirmed` with the customer's standing
 * updated, a concierge is assigned and the lifecycle jobs are scheduled. A charge for a change of
 * dates applies the change it waited for (apply-paid-change.ts). Money that arrives for a booking that can no longer take place is refunded
 * in full, and the guest is told why (docs/design.md "Creating a booking", step 5). Repeats have no effect.
 */
import { availabilityRpc, Conflict, isDomainError } from '@midas/contracts';
import { findBooking, lockBooking } from '../db/bookings';
import { findPayment, paymentsOf } from '../db/payments';
import { changeOfPayment } from '../db/pending-changes';
import type { BookingRow, PaymentRow } from '../db/schema';
import { applyPaidChange } from './apply-paid-change';
import { assignConcierge, assignInTransaction } from './assign-concierge';
import { SYSTEM, type FlowContext } from './context';
import { refundInFull, settleCharge, type ChargeFacts } from './settle-charge';
import { transition } from './transition-booking';

export { LATE_PAYMENT_SLOT_TAKEN, type ChargeFacts } from './settle-charge';

export async function confirmPayment(
  deps: FlowContext,
  paymentId: string,
  facts: ChargeFacts = {},
): Promise<BookingRow> {
  return (await confirmCharge(deps, paymentId, facts)).booking;
}

/**
 * `confirmPayment`, given the charge and its booking as the caller just read them (they are read
 * again under lock). When the charge confirms the booking, the booking's payments as that
 * transaction left them come back too, for the caller's answer.
 */
export async function confirmCharge(
  deps: FlowContext,
  paymentId: string,
  facts: ChargeFacts = {},
  known?: { payment: PaymentRow; booking: BookingRow },
): Promise<{ booking: BookingRow; payments?: PaymentRow[] }> {
  const outcome = await confirmed(deps, paymentId, facts, known);
  return 'payments' in outcome ? outcome : { booking: outcome };
}

async function confirmed(
  deps: FlowContext,
  paymentId: string,
  facts: ChargeFacts,
  known?: { payment: PaymentRow; booking: BookingRow },
): Promise<BookingRow | { booking: BookingRow; payments: PaymentRow[] }> {
  const payment = known?.payment ?? (await findPayment(deps.db, paymentId));
  if (!payment || payment.kind !== 'charge') throw new Conflict('not_a_charge', 'No such charge to confirm');
  const booking = known?.booking ?? (await findBooking(deps.db, payment.bookingId))!;
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
      // Confirmation, the customer's standing and the concierge's assignment: one transaction.
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
        const assigned = await assignInTransaction(tx, confirmed);
        // The answer's payments, read where they were just settled (no read of their own after).
        const payments = known ? await paymentsOf(tx, booking.id) : undefined;
        return { kind: 'confirmed' as const, confirmed, assigned, payments };
      });
      if (outcome.kind === 'confirmed') {
        // Every free concierge was being assigned by someone else: take one the careful way.
        const settled = outcome.assigned ?? (await assignConcierge(deps.db, booking.id)) ?? outcome.confirmed;
        await deps.lifecycleJobs?.scheduleLifecycleJobs(settled);
        return outcome.payments ? { booking: settled, payments: outcome.payments } : settled;
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

  if (payment.purpose === 'modification') {
    // The difference of a change that waited for it: the change applies now, or its money goes back.
    const change = await changeOfPayment(deps.db, payment.id);
    if (change) return applyPaidChange(deps, payment, change, facts);
  }
  if (['cancelled', 'expired', 'refunded'].includes(booking.status) || payment.status === 'cancelled')
    return refundInFull(deps, payment, 'late_payment', facts);
  await deps.db.transaction((tx) => settleCharge(tx, payment, booking, facts));
  return (await findBooking(deps.db, booking.id))!;
}
