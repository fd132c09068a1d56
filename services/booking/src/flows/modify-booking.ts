/**
 * PATCH /v1/bookings/:id: new dates and/or add-ons, re-checked and re-priced atomically. The booking
 * row stays locked while availability moves the slot (keeping the old one on conflict) and pricing
 * re-quotes; the price difference becomes a new charge or a refund.
 *
 * A higher price is only accepted once the provider holds the payment for the difference: its
 * PaymentIntent is created before the change commits, so a provider that does not answer refuses
 * the whole change (503 `payment_provider_unavailable`) with the dates, slot, price and history as
 * they were. A lower price is money we owe: the change commits with its refund recorded, and the
 * refund repair sweep starts it should the provider be away.
 */
import { randomUUID } from 'node:crypto';
import {
  availabilityRpc,
  Conflict,
  pricingRpc,
  RuleViolation,
  Unavailable,
  type ModifyBookingBody,
} from '@midas/contracts';
import { enqueueEvent } from '@midas/messaging';
import { updateTerms } from '../db/bookings';
import { insertPayment, ledgerOf, paymentsOf, recordProviderRef } from '../db/payments';
import { modifications, type BookingRow, type PaymentRow } from '../db/schema';
import { judgeModification, settlementForNewTotal, shiftedEnd, type Settlement } from '../domain';
import { summaryOf } from '../events/booking-summary';
import { actorOf, type Caller, type FlowDeps } from './deps';
import { findVisibleBooking } from './find-visible-booking';
import { recordRefunds, startRefunds } from './refund-payments';

export interface ModifiedBooking {
  booking: BookingRow;
  settlement: Settlement;
  charge?: PaymentRow;
}

export async function modifyBooking(
  deps: FlowDeps,
  caller: Caller,
  bookingId: string,
  body: ModifyBookingBody,
): Promise<ModifiedBooking> {
  const actor = actorOf(caller);
  let moved: { booking: BookingRow; from: { start: Date; end: Date } } | undefined;
  // A PaymentIntent made for a change that then failed to commit is abandoned at the provider.
  let orphan: string | undefined;
  try {
    const result = await deps.db.transaction(async (tx) => {
      // Anyone who may see the booking is its owner or staff, the parties allowed to change it.
      const { booking } = await findVisibleBooking(tx, bookingId, caller, { lock: true });
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
      const datesChange =
        newStart.getTime() !== booking.startAt.getTime() || newEnd.getTime() !== booking.endAt.getTime();

      const quote = await deps.rpc.call(
        pricingRpc.quote,
        {
          itemId: booking.itemId,
          start: newStart.toISOString(),
          end: newEnd.toISOString(),
          tier: booking.tier as 'standard',
          addOns,
        },
        { timeoutMs: deps.rpcTimeoutMs },
      );
      if (datesChange) {
        await deps.rpc.call(
          availabilityRpc.move,
          { bookingId: booking.id, start: newStart.toISOString(), end: newEnd.toISOString() },
          { timeoutMs: deps.rpcTimeoutMs },
        );
        moved = { booking, from: { start: booking.startAt, end: booking.endAt } };
      }

      const updated = (await updateTerms(tx, booking.id, booking.version, {
        startAt: newStart,
        endAt: newEnd,
        addOns,
        total: quote.total,
        priceLines: quote.lines,
        quoteId: quote.id,
      }))!;
      const before = {
        start: booking.startAt.toISOString(),
        end: booking.endAt.toISOString(),
        addOns: booking.addOns,
        total: booking.total,
      };
      const after = { start: newStart.toISOString(), end: newEnd.toISOString(), addOns, total: quote.total };
      await tx.insert(modifications).values({
        bookingId: booking.id,
        actorRole: actor.role,
        actorId: actor.id ?? null,
        before,
        after,
        priceDifference: quote.total - booking.total,
      });
      await enqueueEvent(tx, 'booking', {
        type: 'booking.modified',
        data: {
          ...summaryOf(updated),
          previous: { start: before.start, end: before.end, total: booking.total },
          actor: actor.id ? `${actor.role}:${actor.id}` : actor.role,
        },
      });

      const settlement = settlementForNewTotal(quote.total, ledgerOf(await paymentsOf(tx, booking.id)));
      let charge: PaymentRow | undefined;
      let refunds: PaymentRow[] = [];
      if (settlement.kind === 'charge') {
        const row = await insertPayment(tx, {
          id: randomUUID(),
          bookingId: booking.id,
          kind: 'charge',
          purpose: 'modification',
          provider: deps.payments.name,
          amount: settlement.amount,
          currency: booking.currency,
          status: 'pending',
          requestedByRole: actor.role,
          requestedById: actor.id ?? null,
        });
        const created = await createDifferencePayment(deps, updated, row);
        orphan = created.providerRef;
        await recordProviderRef(tx, row.id, created.providerRef, created.clientSecret);
        charge = { ...row, providerRef: created.providerRef, clientSecret: created.clientSecret ?? null };
      } else if (settlement.kind === 'refund') {
        refunds = await recordRefunds(
          tx,
          deps,
          booking,
          settlement.amount,
          'modification',
          actor,
          'price lowered by a change',
        );
      }
      return { booking: updated, settlement, charge, refunds };
    });
    moved = undefined; // committed: the new slot is the booking's now
    orphan = undefined;
    // Its reminders, no-show check and completion follow the new dates.
    await deps.lifecycleJobs?.scheduleLifecycleJobs(result.booking);
    await startRefunds(deps, result.refunds);
    return { booking: result.booking, settlement: result.settlement, charge: result.charge };
  } catch (err) {
    if (moved) await moveBack(deps, moved.booking, moved.from);
    if (orphan) await abandonPayment(deps, bookingId, orphan);
    throw err;
  }
}

/**
 * The PaymentIntent for a raised price, made while the change is still uncommitted; its idempotency
 * key comes from the new payment row, so a retried call finds the same one.
 */
async function createDifferencePayment(
  deps: FlowDeps,
  booking: BookingRow,
  charge: PaymentRow,
): Promise<{ providerRef: string; clientSecret?: string }> {
  try {
    return await deps.payments.createPayment({
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

/** Seconds a client should wait before retrying a change the provider's outage refused. */
export const RETRY_AFTER_SECONDS = 30;

async function abandonPayment(deps: FlowDeps, bookingId: string, providerRef: string): Promise<void> {
  await deps.payments
    .cancelPayment(providerRef)
    .catch((err: unknown) =>
      deps.logger.warn({ err, bookingId, providerRef }, 'could not cancel the payment of a change not made'),
    );
}

/** The slot moved but the change could not be stored: put the slot back where the booking says it is. */
async function moveBack(
  deps: FlowDeps,
  booking: BookingRow,
  from: { start: Date; end: Date },
): Promise<void> {
  try {
    await deps.rpc.call(
      availabilityRpc.move,
      { bookingId: booking.id, start: from.start.toISOString(), end: from.end.toISOString() },
      { timeoutMs: deps.rpcTimeoutMs },
    );
  } catch (err) {
    deps.logger.error({ err, bookingId: booking.id }, 'could not move the slot back after a failed change');
  }
}
