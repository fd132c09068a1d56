/**
 * POST /v1/bookings as a saga (docs/design.md "Creating a booking"), one step per file in
 * ./booking-saga: hold the slot (or adopt the caller's hold) with the item's snapshot, quote it,
 * store the booking `pending_payment` with its payment and outbox event in one transaction, then
 * start the payment (and, when the item's deposit policy asks for a security deposit, either
 * its order for the payer to approve or, for Stripe, the card kept for the deposit's
 * authorisation at its lead time: flows/authorize-deposit.ts). The runner (domain/saga.ts) undoes the completed steps, latest first, when a later one
 * fails. No remote or provider call runs inside a transaction.
 */
import { ValidationFailed, type CreateBookingBody } from '@midas/contracts';
import { findBooking, replaceAccessToken } from '../db/bookings';
import type { KeyRecord } from '../db/idempotency-keys';
import { paymentsOf } from '../db/payments';
import type { BookingRow } from '../db/schema';
import { runSaga } from '../domain/saga';
import { newAccessToken } from './access-token';
import { holdSlot } from './booking-saga/hold-slot';
import { quoteStay } from './booking-saga/quote';
import { needed, type CreatedBooking } from './booking-saga/state';
import { paymentUnavailable, startAndRecord, startPayments } from './booking-saga/start-payment';
import { abandonBooking, storeBooking } from './booking-saga/store-booking';
import { releaseHold } from './booking-saga/hold-slot';
import type { Caller, FlowContext } from './context';
import { assertMayRedeemPoints } from './redeem-points';

export type { CreatedBooking } from './booking-saga/state';

const CREATE_BOOKING = [holdSlot, quoteStay, storeBooking, startPayments];

export async function createBooking(
  deps: FlowContext,
  caller: Caller,
  body: CreateBookingBody,
  bookingId: string,
  takeover = false,
  record?: KeyRecord<CreatedBooking>,
): Promise<CreatedBooking> {
  const isGuest = caller.principal.role === 'guest';
  if (isGuest && !body.guest) {
    throw new ValidationFailed('Invalid body: guest', [
      {
        field: 'guest',
        message: 'is required when booking without an account: give name, email and phone',
        in: 'body',
      },
    ]);
  }
  assertMayRedeemPoints(caller.principal, body.redeemPoints);
  // An unconfigured provider is refused before anything is held.
  const provider = deps.payments.choose(body.paymentProvider);
  if (takeover) {
    // An earlier attempt with this Idempotency-Key died; if it got as far as storing the booking, finish from there.
    const existing = await findBooking(deps.db, bookingId);
    // One undone after storing (its payment could not start) failed as a whole: the key is freed for a fresh try.
    if (existing?.status === 'cancelled') throw paymentUnavailable();
    if (existing) return resumeCreated(deps, existing, isGuest, record);
  }
  const done = await runSaga(
    CREATE_BOOKING,
    { deps, caller, body, bookingId, provider, isGuest, record },
    {
      onCompensationFailed: ({ step, error }) =>
        deps.logger.warn({ err: error, bookingId, step }, 'could not undo a step of a failed booking'),
    },
  );
  return {
    booking: needed(done.booking, 'booking'),
    payment: needed(done.payment, 'payment'),
    deposit: done.deposit,
    accessToken: done.accessToken,
  };
}

/**
 * Finishes a booking an earlier attempt stored: starts what it did not, and keeps the answer;
 * if the payment cannot be started, the booking is cancelled and its slot freed.
 */
async function resumeCreated(
  deps: FlowContext,
  booking: BookingRow,
  isGuest: boolean,
  record?: KeyRecord<CreatedBooking>,
): Promise<CreatedBooking> {
  // The first attempt's token never reached the caller, so a fresh one replaces it.
  const token = isGuest || booking.accessTokenHash ? newAccessToken(deps.tokenSecret, booking.id) : undefined;
  if (token) await replaceAccessToken(deps.db, booking.id, token.hash);
  const rows = await paymentsOf(deps.db, booking.id);
  const charge = rows.find((p) => p.kind === 'charge' && p.purpose === 'booking')!;
  const held = rows.find((p) => p.kind === 'deposit');
  const finished = record?.finished;
  try {
    const started = await startAndRecord(
      deps,
      booking,
      { payment: charge, deposit: held },
      finished && ((tx, s) => finished(tx, { booking, ...s, accessToken: token?.token })),
    );
    return { booking, ...started, accessToken: token?.token };
  } catch (err) {
    await abandonBooking(deps, booking);
    if (booking.holdId) await releaseHold(deps, booking.holdId, booking.id, false);
    throw err;
  }
}
