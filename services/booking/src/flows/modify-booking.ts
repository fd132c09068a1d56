/**
 * PATCH /v1/bookings/:id: new dates and/or add-ons, re-checked and re-priced, as saga steps
 * (./booking-change, one file each) with no remote or provider call inside a transaction:
 * claim the booking (a short locked transaction: the checks, and a claim that keeps a second
 * change out), price the change, reserve the slot (and, for a higher price, the charge at the
 * provider), then commit in one transaction if the booking is still as claimed. Only money actually
 * received counts toward the new price:
 * - a price that does not rise applies at once: the slot moves, and a lower price refunds the
 *   surplus from what was paid, never more;
 * - a higher price waits for its difference: the booking keeps its dates, add-ons and price, the
 *   new slot is held beside the booking's own (pendingSlotFor), and the change is stored with the
 *   charge for the difference. It applies when that charge is paid (apply-paid-change.ts) and
 *   lapses unpaid with its hold (drop-pending-change.ts). A later change replaces a waiting one.
 * A step that fails undoes the earlier ones (the slot moved back, the hold released, the charge
 * cancelled, the claim released), so a provider that does not answer refuses the whole change
 * (503 `payment_provider_unavailable`) with the booking, slot and history as they were.
 */
import { Conflict, type ModifyBookingBody } from '@midas/contracts';
import { waitingChangeOf } from '../db/pending-changes';
import { runSaga } from '../domain/saga';
import { claimBooking } from './booking-change/claim';
import { commitChange } from './booking-change/commit';
import { priceChange } from './booking-change/price';
import { reserveChange } from './booking-change/reserve';
import type { ModifiedBooking } from './booking-change/state';
import { needed } from './booking-saga/state';
import { actorOf, type Caller, type FlowContext } from './context';
import { depositForNewDates } from './authorize-deposit';
import { datesMoved } from '../domain/deposit-schedule';
import { dropPendingChange } from './drop-pending-change';
import { findVisibleBooking } from './find-visible-booking';
import { startRefunds } from './refund-payments';

export { RETRY_AFTER_SECONDS } from './booking-change/reserve';
export type { ModifiedBooking } from './booking-change/state';

const MODIFY_BOOKING = [claimBooking, priceChange, reserveChange, commitChange];

export async function modifyBooking(
  deps: FlowContext,
  caller: Caller,
  bookingId: string,
  body: ModifyBookingBody,
): Promise<ModifiedBooking> {
  // Anyone who may see the booking is its owner or staff, the parties allowed to change it.
  await findVisibleBooking(deps.db, bookingId, caller);
  const waiting = await waitingChangeOf(deps.db, bookingId);
  if (waiting && (await dropPendingChange(deps, waiting, 'withdrawn')) !== 'dropped') {
    if (await waitingChangeOf(deps.db, bookingId)) {
      throw new Conflict(
        'change_payment_in_progress',
        'The payment for the previous change is on its way; try again once it has settled',
      );
    }
  }
  const done = await runSaga(
    MODIFY_BOOKING,
    { deps, caller, actor: actorOf(caller), bookingId, body },
    {
      onCompensationFailed: ({ step, error }) =>
        deps.logger.error({ err: error, bookingId, step }, 'could not undo a step of a failed change'),
    },
  );
  const result = needed(done.result, 'result');
  if (result.kind === 'pending') return result;
  const before = needed(done.booking, 'booking');
  // A deposit held for the old dates is voided and asked for again before the new start.
  if (
    datesMoved(
      { start: before.startAt, end: before.endAt },
      { start: result.booking.startAt, end: result.booking.endAt },
    )
  )
    await depositForNewDates(deps, result.booking.id);
  // Its reminders, no-show check, completion and deposit follow the new dates.
  await deps.lifecycleJobs?.moveLifecycleJobs(result.booking);
  await startRefunds(deps, result.refunds ?? []);
  return { kind: 'applied', booking: result.booking, settlement: result.settlement };
}
