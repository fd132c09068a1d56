/**
 * A change waiting for its payment is dropped: it lapsed unpaid (the sweep, once its time is up)
 * or a later change of the same booking replaces it. Its payment is abandoned at the provider
 * first; one the provider can no longer cancel (money on its way) keeps the change waiting, and
 * that payment's outcome decides. Then the held slot goes back and the change closes, its charge
 * cancelled: the booking's dates, add-ons, price and payments are as they were before it.
 */
import { findBooking } from '../db/bookings';
import { findPayment, swapPaymentStatus } from '../db/payments';
import { lapsedChanges, lockChange, settleChange } from '../db/pending-changes';
import type { PendingChangeRow } from '../db/schema';
import { freeHeldSlot } from './apply-paid-change';
import { providerOf, type FlowContext } from './context';

export type DropOutcome = 'dropped' | 'awaiting_payment' | 'paid' | 'not_applicable';

export async function dropPendingChange(
  deps: FlowContext,
  change: PendingChangeRow,
  to: 'lapsed' | 'withdrawn',
): Promise<DropOutcome> {
  const payment = await findPayment(deps.db, change.paymentId);
  if (payment?.status === 'succeeded') return 'paid';
  if (payment?.status === 'pending' && payment.providerRef) {
    if ((await providerOf(deps, payment).cancelPayment(payment.providerRef)) === 'not_cancellable') {
      deps.logger.info(
        { bookingId: change.bookingId, changeId: change.id },
        'change lapsed with its payment on its way; the payment decides',
      );
      return 'awaiting_payment';
    }
  }
  const booking = (await findBooking(deps.db, change.bookingId))!;
  // The slot first: should this fail, the change stays waiting and the next sweep tries again.
  await freeHeldSlot(deps, change, booking);
  return deps.db.transaction(async (tx) => {
    const current = await lockChange(tx, change.id);
    if (current?.status !== 'pending') return 'not_applicable';
    await settleChange(tx, change.id, to);
    await swapPaymentStatus(tx, change.paymentId, 'cancelled', {
      detail: to === 'lapsed' ? 'change lapsed unpaid' : 'change replaced by a later one',
    });
    return 'dropped';
  });
}

/** The sweep's part: every change whose time ran out unpaid is dropped. */
export async function lapsePendingChanges(deps: FlowContext, limit = 100): Promise<number> {
  let lapsed = 0;
  for (const change of await lapsedChanges(deps.db, deps.now(), limit)) {
    try {
      if ((await dropPendingChange(deps, change, 'lapsed')) === 'dropped') lapsed++;
    } catch (err) {
      deps.logger.warn(
        { err, changeId: change.id, bookingId: change.bookingId },
        'could not lapse a change yet',
      );
    }
  }
  return lapsed;
}
