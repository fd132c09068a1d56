/**
 * PATCH /v1/bookings/:id: new dates and/or add-ons, re-checked and re-priced with the booking row
 * locked. Only money actually received counts toward the new price:
 * - a price that does not rise applies at once: the slot moves (the old one is kept on conflict),
 *   and a lower price refunds the surplus from what was paid, never more;
 * - a higher price waits for its difference: the booking keeps its dates, add-ons and price, the
 *   new slot is held beside the booking's own (pendingSlotFor), and the change is stored with the
 *   charge for the difference. It applies when that charge is paid (apply-paid-change.ts) and
 *   lapses unpaid with its hold (drop-pending-change.ts). A later change replaces a waiting one.
 *
 * The PaymentIntent for the difference is created before anything commits, so a provider that does
 * not answer refuses the whole change (503 `payment_provider_unavailable`) with the booking, slot
 * and history as they were.
 */
import { datesMoved } from '../domain/deposit-schedule';
import { depositForNewDates } from './authorize-deposit';
import { randomUUID } from 'node:crypto';
import {
  availabilityRpc,
  Conflict,
  pricingRpc,
  RuleViolation,
  Unavailable,
  type ModifyBookingBody,
  type Quote,
} from '@midas/contracts';
import { enqueueEvent } from '@midas/messaging';
import type { Tx } from '@midas/db';
import { updateTerms } from '../db/bookings';
import { insertPayment, ledgerOf, paymentsOf, recordProviderRef } from '../db/payments';
import { insertPendingChange, waitingChangeOf } from '../db/pending-changes';
import { modifications, type BookingRow, type PaymentRow, type PendingChangeRow } from '../db/schema';
import {
  judgeModification,
  pendingChangeExpiry,
  pendingSlotFor,
  settlementForNewTotal,
  shiftedEnd,
  type PendingSlot,
  type Settlement,
} from '../domain';
import { findStanding } from '../db/customers';
import { activeRedemptionOf } from '../db/points';
import { summaryOf } from '../events/publish/booking-summary';
import { conciergeContactOf } from '../events/publish/concierge-contact';
import { actorOf, providerOf, type Actor, type Caller, type FlowContext } from './context';
import { dropPendingChange } from './drop-pending-change';
import { findVisibleBooking } from './find-visible-booking';
import { recordRefunds, startRefunds } from './refund-payments';
import { keepRedeemedPoints } from './redeem-points';

export type ModifiedBooking =
  | { kind: 'applied'; booking: BookingRow; settlement: Settlement }
  | { kind: 'pending'; booking: BookingRow; change: PendingChangeRow; payment: PaymentRow };

/** Seconds a client should wait before retrying a change the provider's outage refused. */
export const RETRY_AFTER_SECONDS = 30;
const DEFAULT_CHANGE_TTL_SECONDS = 900;
/** A change's separate hold outlives the change a little, so the sweep (not the hold) ends it. */
const HOLD_MARGIN_SECONDS = 120;

/** What was reserved for a change before it committed, undone if it does not. */
interface Reserved {
  booking: BookingRow;
  /** The slot moved to the new dates (a change that applies at once). */
  moved?: boolean;
  /** The booking's slot stretched over both periods (a waiting change). */
  spanned?: boolean;
  holdId?: string;
  providerRef?: string;
}

export async function modifyBooking(
  deps: FlowContext,
  caller: Caller,
  bookingId: string,
  body: ModifyBookingBody,
): Promise<ModifiedBooking> {
  const actor = actorOf(caller);
  // Anyone who may see the booking is its owner or staff, the parties allowed to change it.
  await findVisibleBooking(deps.db, bookingId, caller);
  const waiting = await waitingChangeOf(deps.db, bookingId);
  if (waiting && (await dropPendingChange(deps, waiting, 'withdrawn')) !== 'dropped') {
    const open = await waitingChangeOf(deps.db, bookingId);
    if (open) {
      throw new Conflict(
        'change_payment_in_progress',
        'The payment for the previous change is on its way; try again once it has settled',
      );
    }
  }

  let reserved: Reserved | undefined;
  let previous: { start: Date; end: Date } | undefined;
  try {
    const result = await deps.db.transaction(
      async (tx): Promise<ModifiedBooking & { refunds?: PaymentRow[] }> => {
        const { booking } = await findVisibleBooking(tx, bookingId, caller, { lock: true });
        previous = { start: booking.startAt, end: booking.endAt };
        if (await waitingChangeOf(tx, booking.id)) {
          throw new Conflict(
            'change_payment_in_progress',
            'Another change of this booking is waiting for payment',
          );
        }
        const newStart = body.start ? new Date(body.start) : booking.startAt;
        const newEnd = body.end
          ? new Date(body.end)
          : body.start
            ? shiftedEnd(booking.startAt, booking.endAt, newStart, booking.timezone)
            : booking.endAt;
        const verdict = judgeModification({
          status: booking.status,
          currentStart: booking.startAt,
          now: deps.now(),
          newStart,
          newEnd,
        });
        if (!verdict.ok) {
          if (verdict.reason === 'end_not_after_start')
            throw new RuleViolation('end_before_start', 'The end must be after the start');
          throw new Conflict(
            verdict.reason,
            verdict.reason === 'already_started'
              ? 'The booking has started and can no longer change'
              : `A booking that is ${booking.status} cannot change`,
          );
        }
        const addOns = body.addOns ?? booking.addOns;
        // The booking's customer keeps their loyalty perk on the new terms.
        const standing = booking.customerId ? await findStanding(deps.db, booking.customerId) : undefined;
        // Points it redeemed stay redeemed on the new terms (as far as the new price's cap allows).
        const redeemed = await activeRedemptionOf(tx, booking.id);
        const quote = await deps.rpc.call(
          pricingRpc.quote,
          {
            itemId: booking.itemId,
            start: newStart.toISOString(),
            end: newEnd.toISOString(),
            tier: booking.tier as 'standard',
            customerTier: standing?.tier,
            addOns,
            ...(redeemed ? { redeemPoints: redeemed.points, pointsBalance: redeemed.points } : {}),
          },
          { timeoutMs: deps.rpcTimeoutMs },
        );
        const terms = { start: newStart, end: newEnd, addOns, quote };
        const settlement = settlementForNewTotal(quote.total, ledgerOf(await paymentsOf(tx, booking.id)));
        reserved = { booking };
        if (settlement.kind === 'charge')
          return waitForPayment(tx, deps, actor, reserved, terms, settlement.amount);
        return applyNow(tx, deps, actor, reserved, terms, settlement);
      },
    );
    reserved = undefined; // committed: what was reserved is the booking's (or its change's) now
    if (result.kind === 'applied') {
      // A deposit held for the old dates is voided and asked for again before the new start.
      if (previous && datesMoved(previous, { start: result.booking.startAt, end: result.booking.endAt }))
        await depositForNewDates(deps, result.booking.id);
      // Its reminders, no-show check, completion and deposit follow the new dates.
      await deps.lifecycleJobs?.scheduleLifecycleJobs(result.booking);
      await startRefunds(deps, result.refunds ?? []);
      return { kind: 'applied', booking: result.booking, settlement: result.settlement };
    }
    return { kind: 'pending', booking: result.booking, change: result.change, payment: result.payment };
  } catch (err) {
    if (reserved) await undo(deps, reserved);
    throw err;
  }
}

interface Terms {
  start: Date;
  end: Date;
  addOns: BookingRow['addOns'];
  quote: Quote;
}

/** A price that does not rise: the slot moves and the new terms apply in this transaction. */
async function applyNow(
  tx: Tx,
  deps: FlowContext,
  actor: Actor,
  reserved: Reserved,
  terms: Terms,
  settlement: Settlement,
): Promise<ModifiedBooking & { refunds: PaymentRow[] }> {
  const { booking } = reserved;
  const datesChange =
    terms.start.getTime() !== booking.startAt.getTime() || terms.end.getTime() !== booking.endAt.getTime();
  if (datesChange) {
    await moveSlot(deps, booking.id, terms.start, terms.end);
    reserved.moved = true;
  }
  const updated = (await updateTerms(tx, booking.id, booking.version, {
    startAt: terms.start,
    endAt: terms.end,
    addOns: terms.addOns,
    total: terms.quote.total,
    priceLines: terms.quote.lines,
    quoteId: terms.quote.id,
  }))!;
  await keepRedeemedPoints(tx, booking.id, terms.quote.pointsRedeemed ?? 0);
  const before = {
    start: booking.startAt.toISOString(),
    end: booking.endAt.toISOString(),
    addOns: booking.addOns,
    total: booking.total,
  };
  const after = {
    start: terms.start.toISOString(),
    end: terms.end.toISOString(),
    addOns: terms.addOns,
    total: terms.quote.total,
  };
  await tx.insert(modifications).values({
    bookingId: booking.id,
    actorRole: actor.role,
    actorId: actor.id ?? null,
    before,
    after,
    priceDifference: terms.quote.total - booking.total,
  });
  await enqueueEvent(tx, 'booking', {
    type: 'booking.modified',
    data: {
      ...summaryOf(updated),
      previous: { start: before.start, end: before.end, total: booking.total },
      actor: actor.id ? `${actor.role}:${actor.id}` : actor.role,
      concierge: await conciergeContactOf(tx, updated.conciergeId),
    },
  });
  const refunds =
    settlement.kind === 'refund'
      ? await recordRefunds(
          tx,
          deps,
          booking,
          settlement.amount,
          'modification',
          actor,
          'price lowered by a change',
        )
      : [];
  return { kind: 'applied', booking: updated, settlement, refunds };
}

/**
 * A higher price: the new slot is held beside the booking's, the charge for the difference is
 * created at the provider, and the change is stored waiting for it. The booking itself is untouched.
 */
async function waitForPayment(
  tx: Tx,
  deps: FlowContext,
  actor: Actor,
  reserved: Reserved,
  terms: Terms,
  difference: number,
): Promise<ModifiedBooking> {
  const { booking } = reserved;
  const ttl = deps.changeTtlSeconds ?? DEFAULT_CHANGE_TTL_SECONDS;
  const item = await deps.items.get(booking.itemId);
  const plan: PendingSlot = pendingSlotFor(
    { start: booking.startAt, end: booking.endAt },
    { start: terms.start, end: terms.end },
    item.bufferMinutes,
  );
  if (plan.kind === 'hold') {
    const hold = await deps.rpc.call(
      availabilityRpc.hold,
      {
        itemId: booking.itemId,
        start: terms.start.toISOString(),
        end: terms.end.toISOString(),
        ref: booking.id,
        ttlSeconds: ttl + HOLD_MARGIN_SECONDS,
      },
      { timeoutMs: deps.rpcTimeoutMs },
    );
    reserved.holdId = hold.holdId;
  } else if (plan.kind === 'span') {
    reserved.spanned = true;
    await moveSlot(deps, booking.id, plan.start, plan.end);
  }

  const row = await insertPayment(tx, {
    id: randomUUID(),
    bookingId: booking.id,
    kind: 'charge',
    purpose: 'modification',
    provider: booking.paymentProvider,
    amount: difference,
    currency: booking.currency,
    status: 'pending',
    requestedByRole: actor.role,
    requestedById: actor.id ?? null,
  });
  const created = await createDifferencePayment(deps, booking, row);
  reserved.providerRef = created.providerRef;
  await recordProviderRef(tx, row.id, created.providerRef, created.clientSecret);
  const change = await insertPendingChange(tx, {
    id: randomUUID(),
    bookingId: booking.id,
    paymentId: row.id,
    status: 'pending',
    startAt: terms.start,
    endAt: terms.end,
    addOns: terms.addOns,
    total: terms.quote.total,
    priceLines: terms.quote.lines,
    quoteId: terms.quote.id,
    slot: plan.kind,
    holdId: reserved.holdId ?? null,
    actorRole: actor.role,
    actorId: actor.id ?? null,
    expiresAt: pendingChangeExpiry(deps.now(), ttl),
  });
  return {
    kind: 'pending',
    booking,
    change,
    payment: { ...row, providerRef: created.providerRef, clientSecret: created.clientSecret ?? null },
  };
}

/**
 * The PaymentIntent for a raised price, made while the change is still uncommitted; its idempotency
 * key comes from the new payment row, so a retried call finds the same one.
 */
async function createDifferencePayment(
  deps: FlowContext,
  booking: BookingRow,
  charge: PaymentRow,
): Promise<{ providerRef: string; clientSecret?: string }> {
  try {
    return await providerOf(deps, charge).createPayment({
      paymentId: charge.id,
      bookingId: booking.id,
      amount: charge.amount,
      currency: charge.currency,
      description: `Change of ${booking.itemName}`,
    });
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

async function moveSlot(deps: FlowContext, bookingId: string, start: Date, end: Date): Promise<void> {
  await deps.rpc.call(
    availabilityRpc.move,
    { bookingId, start: start.toISOString(), end: end.toISOString() },
    { timeoutMs: deps.rpcTimeoutMs },
  );
}

/** The change did not commit: the slot goes back where the booking says it is, a hold and a payment made for it are abandoned. */
async function undo(deps: FlowContext, reserved: Reserved): Promise<void> {
  const { booking } = reserved;
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
  if (reserved.providerRef) {
    await deps.payments
      .get(reserved.booking.paymentProvider)
      .cancelPayment(reserved.providerRef)
      .catch((err: unknown) =>
        deps.logger.warn({ err, bookingId: booking.id }, 'could not cancel the payment of a change not made'),
      );
  }
}
