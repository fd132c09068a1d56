/**
 * Settling one succeeded charge (once: its status moves by compare-and-swap, with the customer's
 * standing and payment.succeeded), and giving back in full money that arrived for something that
 * can no longer happen: a booking cancelled or expired, a slot someone else took, a change that
 * lapsed.
 */
import { enqueueEvent } from '@midas/messaging';
import type { Tx } from '@midas/db';
import { findBooking } from '../db/bookings';
import { cancelPendingCharges, swapPaymentStatus } from '../db/payments';
import type { BookingRow, PaymentRow } from '../db/schema';
import { cancelAtProviders } from './cancel-at-providers';
import { SYSTEM, type FlowContext } from './context';
import { recordRefunds, startRefunds } from './refund-payments';
import { tryTransition } from './transition-booking';
import { updateCustomerStanding } from './update-customer-standing';

/** The refund reason the notification service turns into the late-payment email. */
export const LATE_PAYMENT_SLOT_TAKEN = 'late_payment_slot_taken';

export interface ChargeFacts {
  /** The provider's id of the settled charge or capture (what refunds go against). */
  chargeRef?: string;
}

/** Marks the charge succeeded once, with the customer's standing and the payment.succeeded event. */
export async function settleCharge(
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
  await updateCustomerStanding(tx, booking, settled.amount, settled.currency);
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
export async function refundInFull(
  deps: FlowContext,
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
  await cancelAtProviders(deps, released);
  await startRefunds(deps, refunds);
  return (await findBooking(deps.db, payment.bookingId))!;
}
