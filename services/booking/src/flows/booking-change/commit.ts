/**
 * Step 4 of a change, commit it in one transaction: the booking is locked and must still be the
 * version that was claimed, and the money received must still give the settlement that was
 * reserved for (a status change, an assignment or a payment settling meanwhile refuses the change
 * with 409 `booking_changed`, and the earlier steps are undone). Then either the new terms apply
 * (a price that does not rise: terms, redeemed points, the modification record, `booking.modified`
 * and any refund owed, recorded) or the change is stored waiting for its charge. The claim ends
 * with the transaction.
 */
import { randomUUID } from 'node:crypto';
import { Conflict, type Quote } from '@midas/contracts';
import type { Tx } from '@midas/db';
import { lockBooking, releaseChangeClaim } from '../../db/bookings';
import { insertPayment, ledgerOf, paymentsOf } from '../../db/payments';
import { insertPendingChange } from '../../db/pending-changes';
import type { BookingRow, PaymentRow } from '../../db/schema';
import { pendingChangeExpiry, settlementForNewTotal, type Settlement } from '../../domain';
import type { SagaStep } from '../../domain/saga';
import { needed } from '../booking-saga/state';
import type { Actor, FlowContext } from '../context';
import { keepRedeemedPoints } from '../redeem-points';
import { recordRefunds } from '../refund-payments';
import { applyTerms, quotedTerms } from './apply-terms';
import { changeTtlSeconds } from './reserve';
import { claimedChange, type ChangeState, type ModifiedBooking, type Reserved, type Terms } from './state';

type Committed = NonNullable<ChangeState['result']>;

export const commitChange: SagaStep<ChangeState, Committed> = {
  name: 'commit the change',
  run: (state) => {
    const { deps, booking, terms } = claimedChange(state);
    const change: Change = {
      deps,
      actor: state.actor,
      booking,
      terms,
      quote: needed(state.quote, 'quote'),
      reserved: needed(state.reserved, 'reserved'),
    };
    const planned = needed(state.settlement, 'settlement');
    return state.deps.db.transaction(async (tx) => {
      const now = await lockBooking(tx, booking.id);
      const settlement = settlementForNewTotal(
        change.quote.total,
        ledgerOf(await paymentsOf(tx, booking.id)),
      );
      if (!now || now.version !== booking.version || !sameSettlement(settlement, planned)) {
        throw new Conflict(
          'booking_changed',
          'The booking changed while this change was being made; nothing was changed, please retry',
        );
      }
      await releaseChangeClaim(tx, booking.id);
      return settlement.kind === 'charge'
        ? storeWaitingChange(tx, change, settlement.amount)
        : applyChange(tx, change, settlement);
    });
  },
  merge: (state, result) => ({ ...state, result }),
};

interface Change {
  deps: FlowContext;
  actor: Actor;
  booking: BookingRow;
  terms: Terms;
  quote: Quote;
  reserved: Reserved;
}

function sameSettlement(a: Settlement, b: Settlement): boolean {
  return a.kind === b.kind && ('amount' in a ? a.amount : 0) === ('amount' in b ? b.amount : 0);
}

/** A price that does not rise: the new terms apply now (the slot has already moved). */
async function applyChange(
  tx: Tx,
  { deps, actor, booking, terms, quote }: Change,
  settlement: Settlement,
): Promise<ModifiedBooking & { refunds: PaymentRow[] }> {
  const updated = (await applyTerms(tx, booking, quotedTerms(terms, quote), actor))!;
  await keepRedeemedPoints(tx, booking.id, quote.pointsRedeemed ?? 0);
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

/** A higher price: the charge and the change waiting for it; the booking itself is untouched. */
async function storeWaitingChange(
  tx: Tx,
  { deps, actor, booking, terms, quote, reserved }: Change,
  difference: number,
): Promise<ModifiedBooking> {
  const payment = needed(reserved.payment, 'payment');
  const slot = needed(reserved.slot, 'slot');
  const row = await insertPayment(tx, {
    id: payment.id,
    bookingId: booking.id,
    kind: 'charge',
    purpose: 'modification',
    provider: booking.paymentProvider,
    providerRef: payment.providerRef,
    clientSecret: payment.clientSecret ?? null,
    amount: difference,
    currency: booking.currency,
    status: 'pending',
    requestedByRole: actor.role,
    requestedById: actor.id ?? null,
  });
  const change = await insertPendingChange(tx, {
    id: randomUUID(),
    bookingId: booking.id,
    paymentId: row.id,
    status: 'pending',
    ...quotedTerms(terms, quote),
    slot: slot.kind,
    holdId: reserved.holdId ?? null,
    actorRole: actor.role,
    actorId: actor.id ?? null,
    expiresAt: pendingChangeExpiry(deps.now(), changeTtlSeconds(deps)),
  });
  return { kind: 'pending', booking, change, payment: row };
}
