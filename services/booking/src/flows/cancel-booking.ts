/**
 * POST /v1/bookings/:id/cancel: the refund comes from pricing's policy (force majeure, admin only,
 * waives it), the status moves to `cancelled` by compare-and-swap, the slot goes back to
 * availability, and the refund is started; `refunded` follows when it settles.
 */
import { availabilityRpc, Forbidden, pricingRpc } from '@midas/contracts';
import { findBooking } from '../db/bookings';
import { cancelPendingCharges, ledgerOf, paymentsOf } from '../db/payments';
import type { BookingRow, PaymentRow } from '../db/schema';
import { cancellationRefund, holdsAssignment, judgeForceMajeure } from '../domain';
import { cancelAtProviders } from './cancel-at-providers';
import { actorOf, type Caller, type FlowContext } from './context';
import { findVisibleBooking } from './find-visible-booking';
import { assertTransition } from './judge-transition';
import { recordRefunds, startRefunds } from './refund-payments';
import { transition } from './transition-booking';

export async function cancelBooking(
  deps: FlowContext,
  caller: Caller,
  bookingId: string,
  body: { reason: string; forceMajeure?: boolean },
): Promise<BookingRow> {
  const { booking, party } = await findVisibleBooking(deps.db, bookingId, caller);
  const forceMajeure = body.forceMajeure ?? false;
  if (!judgeForceMajeure(forceMajeure, party === 'admin').ok) {
    throw new Forbidden('Only an admin may cancel for force majeure');
  }
  assertTransition(booking, 'cancelled', party);

  const ledger = ledgerOf(await paymentsOf(deps.db, booking.id));
  const cancelledAt = deps.now();
  const policy =
    ledger.paidNet > 0
      ? await deps.rpc.call(
          pricingRpc.refund,
          {
            itemType: booking.itemType,
            start: booking.startAt.toISOString(),
            cancelledAt: cancelledAt.toISOString(),
            paidAmount: ledger.paidNet,
            currency: booking.currency,
            forceMajeure,
            reason: 'cancellation',
          },
          { timeoutMs: deps.rpcTimeoutMs },
        )
      : { amount: 0, fee: 0, rule: 'nothing_paid', percent: 0 };
  const refundAmount = cancellationRefund(policy.amount, ledger);
  const actor = actorOf(caller);

  const { cancelled, refunds, abandoned } = await deps.db.transaction(async (tx) => {
    const cancelled = await transition(tx, {
      booking,
      to: 'cancelled',
      actor,
      reason: body.reason,
      details: {
        forceMajeure,
        refund: refundAmount,
        rule: policy.rule,
        percent: policy.percent,
        fee: policy.fee,
      },
      refundAmount,
    });
    const abandoned: PaymentRow[] = await cancelPendingCharges(tx, booking.id);
    const refunds = await recordRefunds(tx, deps, booking, refundAmount, 'cancellation', actor, body.reason);
    return { cancelled, refunds, abandoned };
  });

  await releaseSlot(deps, cancelled);
  await cancelAtProviders(deps, abandoned);
  await deps.lifecycleJobs?.cancelLifecycleJobs(cancelled.id);
  // The concierge's freed capacity may serve a booking waiting for one.
  if (holdsAssignment(booking.status)) await deps.assignments?.nudge('assignment_freed');
  await startRefunds(deps, refunds);
  return (await findBooking(deps.db, booking.id))!;
}

/** After the status left the occupying states; availability also frees it from the event should this call fail. */
export async function releaseSlot(deps: FlowContext, booking: BookingRow, from?: Date): Promise<void> {
  try {
    await deps.rpc.call(
      availabilityRpc.release,
      { holdId: booking.holdId ?? undefined, bookingId: booking.id, from: from?.toISOString() },
      { timeoutMs: deps.rpcTimeoutMs },
    );
  } catch (err) {
    deps.logger.warn({ err, bookingId: booking.id }, 'could not release the slot of a booking');
  }
}
