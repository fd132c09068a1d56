/**
 * A refund the provider settled (at once for `local`, by webhook for Stripe): mark it, tell
 * the customer's standing and the world (refund.issued), and take the automatic step to
 * `refunded` once no refund of a cancellation or no-show is still on its way.
 */
import { enqueueEvent } from '@midas/messaging';
import { findBooking } from '../db/bookings';
import { hasPendingRefunds, swapPaymentStatus, type StatusChange } from '../db/payments';
import type { Actor, FlowContext } from './context';
import { SYSTEM } from './context';
import { tryTransition } from './transition-booking';
import { updateCustomerStanding } from './update-customer-standing';
import { summaryOf } from '../events/publish/booking-summary';

/**
 * True when this call settled it. `change` says from which status and on whose word, when not the
 * provider's on a pending refund (staff resolving a dead-lettered one).
 */
export async function settleRefund(
  deps: Pick<FlowContext, 'db'>,
  refundId: string,
  change?: StatusChange,
): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const refund = await swapPaymentStatus(tx, refundId, 'succeeded', change);
    if (!refund || refund.kind !== 'refund') return false;
    const booking = (await findBooking(tx, refund.bookingId))!;
    await updateCustomerStanding(tx, booking, -refund.amount, refund.currency);
    await enqueueEvent(tx, 'booking', {
      type: 'refund.issued',
      data: {
        ...summaryOf(booking),
        amount: refund.amount,
        reason: refund.reason ?? refund.purpose,
        paymentId: refund.id,
        purpose: refund.purpose,
      },
    });
    const closing =
      (booking.status === 'cancelled' &&
        ['cancellation', 'slot_lost', 'late_payment'].includes(refund.purpose)) ||
      (booking.status === 'no_show' && refund.purpose === 'no_show');
    if (!closing) return true;
    if (await hasPendingRefunds(tx, booking.id, ['cancellation', 'no_show', 'slot_lost', 'late_payment']))
      return true;
    // A no-show refund is the admin's transition; a cancellation's refund settles on its own.
    const actor: Actor =
      booking.status === 'no_show'
        ? { role: refund.requestedByRole as Actor['role'], id: refund.requestedById ?? undefined }
        : SYSTEM;
    await tryTransition(tx, {
      booking,
      to: 'refunded',
      actor,
      reason: 'refund_settled',
      refundAmount: refund.amount,
    });
    return true;
  });
}
