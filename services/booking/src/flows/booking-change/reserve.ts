/**
 * Step 3 of a change, reserve what it needs outside the database, before anything commits:
 * - a price that does not rise: the slot moves to the new dates (if they change);
 * - a higher price: the new slot is held beside the booking's own (pendingSlotFor), and the
 *   charge for the difference is created at the provider, under our payment id (its idempotency
 *   key), so a provider that does not answer refuses the whole change with nothing changed.
 * Undone by moving the slot back, releasing the hold and cancelling the charge.
 */
import { randomUUID } from 'node:crypto';
import { availabilityRpc, Unavailable } from '@midas/contracts';
import type { BookingRow } from '../../db/schema';
import { pendingSlotFor } from '../../domain';
import type { SagaStep } from '../../domain/saga';
import { needed } from '../booking-saga/state';
import { providerOf, type FlowContext } from '../context';
import { claimedChange, type ChangeState, type Reserved } from './state';

/** Seconds a client should wait before retrying a change the provider's outage refused. */
export const RETRY_AFTER_SECONDS = 30;
const DEFAULT_CHANGE_TTL_SECONDS = 900;
/** A change's separate hold outlives the change a little, so the sweep (not the hold) ends it. */
const HOLD_MARGIN_SECONDS = 120;

export function changeTtlSeconds(deps: FlowContext): number {
  return deps.changeTtlSeconds ?? DEFAULT_CHANGE_TTL_SECONDS;
}

export const reserveChange: SagaStep<ChangeState, Reserved> = {
  name: 'reserve the slot and the payment',
  run: async (state) => {
    const { deps, booking, terms } = claimedChange(state);
    const settlement = needed(state.settlement, 'settlement');
    const reserved: Reserved = {};
    try {
      if (settlement.kind === 'charge') {
        await holdNewSlot(deps, booking, terms, reserved);
        reserved.payment = await createDifferencePayment(deps, booking, settlement.amount);
      } else if (
        terms.start.getTime() !== booking.startAt.getTime() ||
        terms.end.getTime() !== booking.endAt.getTime()
      ) {
        await moveSlot(deps, booking.id, terms.start, terms.end);
        reserved.moved = true;
      }
      return reserved;
    } catch (err) {
      // What this step did itself is undone here: the runner compensates completed steps only.
      await undoReserved(deps, booking, reserved);
      throw err;
    }
  },
  compensate: (reserved, state) => undoReserved(state.deps, needed(state.booking, 'booking'), reserved),
  merge: (state, reserved) => ({ ...state, reserved }),
};

async function holdNewSlot(
  deps: FlowContext,
  booking: BookingRow,
  terms: { start: Date; end: Date },
  reserved: Reserved,
): Promise<void> {
  const item = await deps.items.get(booking.itemId);
  const slot = pendingSlotFor(
    { start: booking.startAt, end: booking.endAt },
    { start: terms.start, end: terms.end },
    item.bufferMinutes,
  );
  reserved.slot = slot;
  if (slot.kind === 'hold') {
    const hold = await deps.rpc.call(
      availabilityRpc.hold,
      {
        itemId: booking.itemId,
        start: terms.start.toISOString(),
        end: terms.end.toISOString(),
        ref: booking.id,
        ttlSeconds: changeTtlSeconds(deps) + HOLD_MARGIN_SECONDS,
      },
      { timeoutMs: deps.rpcTimeoutMs },
    );
    reserved.holdId = hold.holdId;
  } else if (slot.kind === 'span') {
    reserved.spanned = true;
    await moveSlot(deps, booking.id, slot.start, slot.end);
  }
}

/** The PaymentIntent for a raised price; its idempotency key comes from the new payment's id. */
async function createDifferencePayment(
  deps: FlowContext,
  booking: BookingRow,
  amount: number,
): Promise<NonNullable<Reserved['payment']>> {
  const id = randomUUID();
  try {
    const created = await providerOf(deps, { provider: booking.paymentProvider }).createPayment({
      paymentId: id,
      bookingId: booking.id,
      amount,
      currency: booking.currency,
      description: `Change of ${booking.itemName}`,
    });
    return { id, providerRef: created.providerRef, clientSecret: created.clientSecret };
  } catch (err) {
    deps.logger.warn(
      { err, bookingId: booking.id },
      'payment for a change could not be started; change refused',
    );
    throw new Unavailable(
      'payment_provider_unavailable',
      'The payment provider did not answer, so the change was not made; the booking is unchanged, please retry',
      { retryAfterSeconds: RETRY_AFTER_SECONDS },
    );
  }
}

export async function moveSlot(deps: FlowContext, bookingId: string, start: Date, end: Date): Promise<void> {
  await deps.rpc.call(
    availabilityRpc.move,
    { bookingId, start: start.toISOString(), end: end.toISOString() },
    { timeoutMs: deps.rpcTimeoutMs },
  );
}

/** The change did not commit: the slot goes back where the booking says it is, a hold and a payment made for it are abandoned. */
async function undoReserved(deps: FlowContext, booking: BookingRow, reserved: Reserved): Promise<void> {
  if (reserved.moved || reserved.spanned) {
    await moveSlot(deps, booking.id, booking.startAt, booking.endAt).catch((err: unknown) =>
      deps.logger.error({ err, bookingId: booking.id }, 'could not move the slot back after a failed change'),
    );
  }
  if (reserved.holdId) {
    await deps.rpc
      .call(availabilityRpc.release, { holdId: reserved.holdId }, { timeoutMs: deps.rpcTimeoutMs })
      .catch((err: unknown) =>
        deps.logger.warn({ err, bookingId: booking.id }, 'could not release the hold of a failed change'),
      );
  }
  if (reserved.payment) {
    await providerOf(deps, { provider: booking.paymentProvider })
      .cancelPayment(reserved.payment.providerRef)
      .catch((err: unknown) =>
        deps.logger.warn({ err, bookingId: booking.id }, 'could not cancel the payment of a change not made'),
      );
  }
}
