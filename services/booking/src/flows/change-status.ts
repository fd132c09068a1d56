/**
 * POST /v1/bookings/:id/status: the manual transitions of the lifecycle. Staff mark ready, check in
 * (`in_progress`) and out (`completed`); cancelling runs the cancellation flow; an admin settles a
 * no-show with the partial refund of pricing's no-show policy.
 */
import { Conflict, pricingRpc, type BookingStatus } from '@midas/contracts';
import { findBooking, lockBooking } from '../db/bookings';
import { hasPendingRefunds, ledgerOf, paymentsOf } from '../db/payments';
import type { BookingRow } from '../db/schema';
import { cancellationRefund } from '../domain';
import { cancelBooking } from './cancel-booking';
import { actorOf, type Caller, type FlowContext } from './context';
import { findVisibleBooking } from './find-visible-booking';
import { checkInUnassigned } from './check-in-unassigned';
import { assertCheckInOpen } from './judge-check-in';
import { assertTransition } from './judge-transition';
import { recordRefunds, startRefunds } from './refund-payments';
import { transition } from './transition-booking';

export async function changeStatus(
  deps: FlowContext,
  caller: Caller,
  bookingId: string,
  body: { status: BookingStatus; reason?: string },
): Promise<BookingRow> {
  if (body.status === 'cancelled')
    return cancelBooking(deps, caller, bookingId, { reason: body.reason ?? 'cancelled' });
  const { booking, party } = await findVisibleBooking(deps.db, bookingId, caller);
  if (body.status === 'in_progress' && booking.status === 'confirmed') {
    assertCheckInOpen(booking, deps.now());
    return checkInUnassigned(deps, caller, booking, party, body.reason);
  }
  assertTransition(booking, body.status, party);
  if (body.status === 'in_progress') assertCheckInOpen(booking, deps.now());
  if (booking.status === 'no_show' && body.status === 'refunded')
    return refundNoShow(deps, caller, booking, body.reason);

  const updated = await deps.db.transaction((tx) =>
    transition(tx, { booking, to: body.status, actor: actorOf(caller), reason: body.reason }),
  );
  if (body.status === 'completed') {
    await deps.lifecycleJobs?.cancelLifecycleJobs(updated.id);
    await deps.assignments?.nudge('assignment_freed');
  }
  return updated;
}

async function refundNoShow(
  deps: FlowContext,
  caller: Caller,
  booking: BookingRow,
  reason?: string,
): Promise<BookingRow> {
  const ledger = ledgerOf(await paymentsOf(deps.db, booking.id));
  const policy = await deps.rpc.call(
    pricingRpc.refund,
    {
      itemType: booking.itemType,
      start: booking.startAt.toISOString(),
      cancelledAt: deps.now().toISOString(),
      paidAmount: ledger.paidNet,
      currency: booking.currency,
      forceMajeure: false,
      reason: 'no_show',
    },
    { timeoutMs: deps.rpcTimeoutMs },
  );
  const amount = cancellationRefund(policy.amount, ledger);
  const actor = actorOf(caller);
  if (amount === 0) {
    return deps.db.transaction((tx) =>
      transition(tx, {
        booking,
        to: 'refunded',
        actor,
        reason: reason ?? 'no_show_settled',
        refundAmount: 0,
        details: { rule: policy.rule },
      }),
    );
  }
  const refunds = await deps.db.transaction(async (tx) => {
    // The row lock makes a second admin wait here and then find the refund already started.
    const current = (await lockBooking(tx, booking.id))!;
    assertTransition(current, 'refunded', 'admin');
    if (await hasPendingRefunds(tx, booking.id, ['no_show'])) {
      throw new Conflict('refund_in_progress', 'The no-show refund is already on its way');
    }
    return recordRefunds(
      tx,
      deps,
      booking,
      amount,
      'no_show',
      actor,
      reason ?? `no-show policy ${policy.rule}`,
    );
  });
  await startRefunds(deps, refunds);
  return (await findBooking(deps.db, booking.id))!;
}
