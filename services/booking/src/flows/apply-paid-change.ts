/**
 * The difference of a change that raised the price was paid: the change applies at once and
 * whole. Availability first gives the booking its new slot (the held one becomes the booking's
 * while the old one is freed in the same transaction, or the stretched slot shrinks to the new
 * dates); then one transaction settles the charge and writes the new dates, add-ons and price,
 * the modification and booking.modified; the reminders and lifecycle jobs follow the new dates.
 * A change that can no longer apply (it lapsed or was withdrawn, the booking was cancelled, the
 * held slot was lost) keeps the booking as it is and gives the money back in full.
 */
import { datesMoved } from '../domain/deposit-schedule';
import { depositForNewDates } from './authorize-deposit';
import { availabilityRpc, isDomainError } from '@midas/contracts';
import { findBooking, lockBooking } from '../db/bookings';
import { findPayment } from '../db/payments';
import { lockChange, settleChange } from '../db/pending-changes';
import type { BookingRow, PaymentRow, PendingChangeRow } from '../db/schema';
import { MODIFIABLE_STATUSES } from '../domain';
import type { FlowContext } from './context';
import { applyTerms } from './booking-change/apply-terms';
import { refundInFull, settleCharge, type ChargeFacts } from './settle-charge';

export async function applyPaidChange(
  deps: FlowContext,
  payment: PaymentRow,
  change: PendingChangeRow,
  facts: ChargeFacts,
): Promise<BookingRow> {
  const booking = (await findBooking(deps.db, change.bookingId))!;
  if (change.status === 'applied') return booking;
  if (
    change.status !== 'pending' ||
    payment.status !== 'pending' ||
    !MODIFIABLE_STATUSES.includes(booking.status)
  ) {
    await freeHeldSlot(deps, change, booking);
    return giveBack(deps, payment, change, facts);
  }
  if (!(await moveToNewSlot(deps, change))) {
    await freeHeldSlot(deps, change, booking);
    return giveBack(deps, payment, change, facts, 'slot_lost');
  }

  let previous: { start: Date; end: Date } | undefined;
  const applied = await deps.db.transaction(async (tx) => {
    const current = (await lockBooking(tx, change.bookingId))!;
    previous = { start: current.startAt, end: current.endAt };
    const waiting = await lockChange(tx, change.id);
    const fresh = (await findPayment(tx, payment.id))!;
    if (waiting?.status !== 'pending' || fresh.status !== 'pending') return undefined;
    if (!MODIFIABLE_STATUSES.includes(current.status)) return undefined;
    await settleCharge(tx, fresh, current, facts);
    await settleChange(tx, change.id, 'applied');
    return (await applyTerms(tx, current, change, { role: change.actorRole, id: change.actorId }))!;
  });
  if (!applied) {
    // Cancelled or withdrawn while availability moved the slot: the booking's slot goes back too.
    const now = (await findBooking(deps.db, change.bookingId))!;
    if (MODIFIABLE_STATUSES.includes(now.status)) await moveSlot(deps, now.id, now.startAt, now.endAt);
    return giveBack(deps, payment, change, facts);
  }
  if (previous && datesMoved(previous, { start: applied.startAt, end: applied.endAt }))
    await depositForNewDates(deps, applied.id);
  await deps.lifecycleJobs?.moveLifecycleJobs(applied);
  return applied;
}

/** The booking's slot becomes the change's dates. False when the held slot was lost meanwhile. */
async function moveToNewSlot(deps: FlowContext, change: PendingChangeRow): Promise<boolean> {
  try {
    if (change.slot === 'hold') {
      await deps.rpc.call(
        availabilityRpc.confirm,
        { holdId: change.holdId!, bookingId: change.bookingId, replacing: true },
        { timeoutMs: deps.rpcTimeoutMs },
      );
    } else if (change.slot === 'span') {
      await moveSlot(deps, change.bookingId, change.startAt, change.endAt, true);
    }
    return true;
  } catch (err) {
    if (isDomainError(err) && (err.code === 'slot_taken' || err.status === 404 || err.status === 422)) {
      deps.logger.warn(
        { err, bookingId: change.bookingId, changeId: change.id },
        'paid change lost its slot',
      );
      return false;
    }
    throw err;
  }
}

async function moveSlot(
  deps: FlowContext,
  bookingId: string,
  start: Date,
  end: Date,
  strict = false,
): Promise<void> {
  try {
    await deps.rpc.call(
      availabilityRpc.move,
      { bookingId, start: start.toISOString(), end: end.toISOString() },
      { timeoutMs: deps.rpcTimeoutMs },
    );
  } catch (err) {
    if (strict) throw err;
    deps.logger.error({ err, bookingId }, 'could not move the slot back to the booking dates');
  }
}

/**
 * What a change that will not apply still holds goes back: its separate hold is released, a
 * stretched slot shrinks back to the booking's dates (a cancelled booking's slot is freed by the
 * cancellation itself). Failures are logged: a hold lapses by itself.
 */
export async function freeHeldSlot(
  deps: FlowContext,
  change: PendingChangeRow,
  booking: BookingRow,
): Promise<void> {
  if (change.slot === 'hold' && change.holdId) {
    await deps.rpc
      .call(availabilityRpc.release, { holdId: change.holdId }, { timeoutMs: deps.rpcTimeoutMs })
      .catch((err: unknown) =>
        deps.logger.warn(
          { err, bookingId: booking.id, holdId: change.holdId },
          'could not release the hold of a change',
        ),
      );
  } else if (change.slot === 'span' && MODIFIABLE_STATUSES.includes(booking.status)) {
    await moveSlot(deps, booking.id, booking.startAt, booking.endAt);
  }
}

/** The change will not happen: it is closed and its payment goes back in full. */
async function giveBack(
  deps: FlowContext,
  payment: PaymentRow,
  change: PendingChangeRow,
  facts: ChargeFacts,
  purpose: 'late_payment' | 'slot_lost' = 'late_payment',
): Promise<BookingRow> {
  await deps.db.transaction((tx) => settleChange(tx, change.id, 'lapsed'));
  return refundInFull(deps, payment, purpose, facts);
}
