/**
 * Step 3, store the booking: the booking `pending_payment`, its history row, its payment (and a
 * deposit when the item's policy asks for one) and its `booking.created` outbox event, in one
 * transaction, with the contact details read in it. Undone, when the payment cannot be started,
 * by cancelling the booking and its pending charges (at the provider too).
 */
import { randomUUID } from 'node:crypto';
import { enqueueEvent } from '@midas/messaging';
import { insertBooking } from '../../db/bookings';
import { depositFor } from '../../db/deposit-policies';
import { takePoints } from '../../db/points';
import { cancelPendingCharges, insertPayment } from '../../db/payments';
import { recordStatus } from '../../db/status-history';
import type { BookingRow, PaymentRow } from '../../db/schema';
import type { SagaStep } from '../../domain/saga';
import { summaryOf } from '../../events/publish/booking-summary';
import { newAccessToken } from '../access-token';
import { contactOf } from '../customer-profile';
import { cancelAtProviders } from '../cancel-at-providers';
import { actorOf, SYSTEM, type FlowContext } from '../context';
import { insufficientPoints } from '../redeem-points';
import { tryTransition } from '../transition-booking';
import { releaseHold } from './hold-slot';
import { needed, type CreateBookingState } from './state';

interface Stored {
  booking: BookingRow;
  payment: PaymentRow;
  deposit?: PaymentRow;
  accessToken?: string;
}

export const storeBooking: SagaStep<CreateBookingState, Stored> = {
  name: 'store the booking',
  run: async (state) => {
    const { deps, caller, body, bookingId, provider } = state;
    const hold = needed(state.hold, 'hold');
    const item = needed(state.item, 'item');
    const quote = needed(state.quote, 'quote');
    const token = state.isGuest || body.guest ? newAccessToken(deps.tokenSecret, bookingId) : undefined;
    const actor = actorOf(caller);
    const stored = await deps.db.transaction(async (tx) => {
      await state.record?.stored(tx);
      // Without contact details, a customer's booking writes to their profile (or token claims).
      const contact = body.guest ? undefined : await contactOf(tx, caller.principal);
      const booking = await insertBooking(tx, {
        id: bookingId,
        status: 'pending_payment',
        itemId: item.id,
        itemType: item.type,
        itemName: item.name,
        location: item.location,
        timezone: item.timezone,
        startAt: new Date(body.start),
        endAt: new Date(body.end),
        tier: quote.tier,
        addOns: body.addOns ?? [],
        currency: quote.currency,
        total: quote.total,
        priceLines: quote.lines,
        quoteId: quote.id,
        holdId: hold.holdId,
        holdExpiresAt: new Date(hold.expiresAt),
        customerId: caller.principal.sub ?? null,
        guestName: body.guest?.name ?? contact?.name ?? null,
        guestEmail: body.guest?.email ?? contact?.email ?? null,
        guestPhone: body.guest?.phone ?? contact?.phone ?? null,
        contactFromProfile: contact !== undefined,
        accessTokenHash: token?.hash ?? null,
        paymentProvider: provider.name,
      });
      // The points the price redeems leave the balance with the booking, or nothing is booked.
      if (quote.pointsRedeemed) {
        const points = { bookingId, customerId: caller.principal.sub!, points: quote.pointsRedeemed };
        if (!(await takePoints(tx, points))) throw insufficientPoints(points.points);
      }
      await recordStatus(tx, { bookingId, from: null, to: 'pending_payment', actor, reason: 'created' });
      const charge = (kind: 'charge' | 'deposit', amount: number) =>
        insertPayment(tx, {
          id: randomUUID(),
          bookingId,
          kind,
          purpose: kind === 'charge' ? 'booking' : 'deposit',
          provider: provider.name,
          amount,
          currency: quote.currency,
          status: 'pending',
          requestedByRole: actor.role,
          requestedById: actor.id ?? null,
        });
      const payment = await charge('charge', quote.total);
      const depositAmount = provider.supportsDeposits
        ? await depositFor(tx, item.type, quote.currency, quote.total)
        : undefined;
      const deposit = depositAmount ? await charge('deposit', depositAmount) : undefined;
      await enqueueEvent(tx, 'booking', { type: 'booking.created', data: summaryOf(booking) });
      return { booking, payment, deposit };
    });
    return { ...stored, accessToken: token?.token };
  },
  compensate: async ({ booking }, { deps, hold }) => {
    await abandonBooking(deps, booking);
    // The booking took the caller's hold over: with the booking gone, so is the slot.
    if (hold?.adopted) await releaseHold(deps, hold.holdId, booking.id, false);
  },
  merge: (state, stored) => ({ ...state, ...stored }),
};

/** Cancels a booking whose payment could not be started, and its charges (at the provider too). */
export async function abandonBooking(deps: FlowContext, booking: BookingRow): Promise<void> {
  const abandoned = await deps.db.transaction(async (tx) => {
    await tryTransition(tx, { booking, to: 'cancelled', actor: SYSTEM, reason: 'payment_setup_failed' });
    return cancelPendingCharges(tx, booking.id);
  });
  await cancelAtProviders(deps, abandoned);
}
