/**
 * POST /v1/bookings as a saga (docs/design.md "Creating a booking"): hold the slot (or adopt the
 * caller's hold) and price it, store the booking `pending_payment` with its outbox event in one
 * transaction, then start the payment (and, when the item's deposit policy asks for a security
 * deposit, either its order for the payer to approve or, for Stripe, the card kept for the
 * deposit's authorisation at its lead time: flows/authorize-deposit.ts). Each step undoes the
 * earlier ones when a later one fails.
 */
import { randomUUID } from 'node:crypto';
import {
  availabilityRpc,
  pricingRpc,
  Unavailable,
  ValidationFailed,
  type CreateBookingBody,
  type ItemSnapshot,
  type Quote,
} from '@midas/contracts';
import { enqueueEvent } from '@midas/messaging';
import { findBooking, insertBooking, replaceAccessToken } from '../db/bookings';
import { findStanding } from '../db/customers';
import { takePoints } from '../db/points';
import { depositFor } from '../db/deposit-policies';
import { cancelPendingCharges, insertPayment, paymentsOf, recordProviderRef } from '../db/payments';
import { recordStatus } from '../db/status-history';
import type { BookingRow, PaymentRow } from '../db/schema';
import { summaryOf } from '../events/publish/booking-summary';
import { newAccessToken } from './access-token';
import { contactOf } from './customer-profile';
import { actorOf, providerOf, SYSTEM, type Caller, type FlowContext } from './context';
import { assertMayRedeemPoints, insufficientPoints } from './redeem-points';
import { tryTransition } from './transition-booking';

export interface CreatedBooking {
  booking: BookingRow;
  payment: PaymentRow;
  deposit?: PaymentRow;
  accessToken?: string;
}

type Hold = { holdId: string; expiresAt: string };

export async function createBooking(
  deps: FlowContext,
  caller: Caller,
  body: CreateBookingBody,
  bookingId: string,
  takeover = false,
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
    if (existing) return resumeCreated(deps, existing, isGuest);
  }

  const timeoutMs = deps.rpcTimeoutMs;
  // A customer's loyalty tier brings its perk (a discount line); the service tier is their choice.
  const standing =
    caller.principal.role === 'customer' && caller.principal.sub
      ? await findStanding(deps.db, caller.principal.sub)
      : undefined;
  const [itemResult, holdResult, quoteResult] = await Promise.allSettled([
    deps.items.get(body.itemId),
    deps.rpc.call(
      availabilityRpc.hold,
      {
        itemId: body.itemId,
        start: body.start,
        end: body.end,
        holdId: body.holdId,
        ref: bookingId,
        holderSub: caller.principal.sub,
        holdToken: caller.principal.sub ? undefined : body.holdToken,
        clientIp: caller.principal.sub ? undefined : caller.clientIp,
      },
      { timeoutMs },
    ),
    deps.rpc.call(
      pricingRpc.quote,
      {
        itemId: body.itemId,
        start: body.start,
        end: body.end,
        tier: body.tier,
        customerTier: standing?.tier,
        addOns: body.addOns,
        redeemPoints: body.redeemPoints,
        pointsBalance: body.redeemPoints !== undefined ? (standing?.points ?? 0) : undefined,
      },
      { timeoutMs },
    ),
  ]);
  const hold: Hold | undefined = holdResult.status === 'fulfilled' ? holdResult.value : undefined;
  const failure = [holdResult, itemResult, quoteResult].find((r) => r.status === 'rejected');
  if (failure) {
    if (hold) await releaseHold(deps, hold.holdId, bookingId, body.holdId !== undefined);
    throw failure.reason;
  }
  const item = (itemResult as PromiseFulfilledResult<ItemSnapshot>).value;
  const quote = (quoteResult as PromiseFulfilledResult<Quote>).value;

  const token = isGuest || body.guest ? newAccessToken(deps.tokenSecret, bookingId) : undefined;
  // Without contact details, a customer's booking writes to their profile (or token claims).
  const contact = body.guest ? undefined : await contactOf(deps.db, caller.principal);
  let stored: { booking: BookingRow; payment: PaymentRow; deposit?: PaymentRow };
  try {
    stored = await deps.db.transaction(async (tx) => {
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
        holdId: hold!.holdId,
        holdExpiresAt: new Date(hold!.expiresAt),
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
      const actor = actorOf(caller);
      await recordStatus(tx, { bookingId, from: null, to: 'pending_payment', actor, reason: 'created' });
      const payment = await insertPayment(tx, {
        id: randomUUID(),
        bookingId,
        kind: 'charge',
        purpose: 'booking',
        provider: provider.name,
        amount: quote.total,
        currency: quote.currency,
        status: 'pending',
        requestedByRole: actor.role,
        requestedById: actor.id ?? null,
      });
      const depositAmount = provider.supportsDeposits
        ? await depositFor(tx, item.type, quote.currency, quote.total)
        : undefined;
      const deposit = depositAmount
        ? await insertPayment(tx, {
            id: randomUUID(),
            bookingId,
            kind: 'deposit',
            purpose: 'deposit',
            provider: provider.name,
            amount: depositAmount,
            currency: quote.currency,
            status: 'pending',
            requestedByRole: actor.role,
            requestedById: actor.id ?? null,
          })
        : undefined;
      await enqueueEvent(tx, 'booking', { type: 'booking.created', data: summaryOf(booking) });
      return { booking, payment, deposit };
    });
  } catch (err) {
    await releaseHold(deps, hold!.holdId, bookingId, body.holdId !== undefined);
    throw err;
  }

  const payment = await startPayment(deps, stored.booking, stored.payment, stored.deposit);
  const deposit = stored.deposit && (await startDeposit(deps, stored.booking, stored.deposit));
  return { booking: stored.booking, payment, deposit, accessToken: token?.token };
}

/**
 * A deposit the payer approves with the payment (PayPal's order, `local`) starts now; one
 * authorised at its lead time (Stripe) waits for the deposit job, with the card the payment saves.
 */
async function startDeposit(
  deps: FlowContext,
  booking: BookingRow,
  deposit: PaymentRow,
): Promise<PaymentRow> {
  if (providerOf(deps, deposit).depositTiming === 'lead_time') return deposit;
  return startPayment(deps, booking, deposit);
}

/** Creates the provider-side payment; on failure the booking is cancelled and the slot freed. */
async function startPayment(
  deps: FlowContext,
  booking: BookingRow,
  payment: PaymentRow,
  deposit?: PaymentRow,
): Promise<PaymentRow> {
  try {
    const period = `${booking.startAt.toISOString()} – ${booking.endAt.toISOString()}`;
    const created = await providerOf(deps, payment).createPayment({
      paymentId: payment.id,
      bookingId: booking.id,
      amount: payment.amount,
      currency: payment.currency,
      description:
        payment.kind === 'deposit'
          ? `Security deposit, ${booking.itemName} ${period}`
          : `${booking.itemName} ${period}`,
      capture: payment.kind === 'deposit' ? 'manual' : 'automatic',
      // The deposit is authorised later without the guest: their card is kept for it.
      saveCard: deposit !== undefined && providerOf(deps, deposit).depositTiming === 'lead_time',
    });
    await recordProviderRef(deps.db, payment.id, created.providerRef, created.clientSecret);
    return { ...payment, providerRef: created.providerRef, clientSecret: created.clientSecret ?? null };
  } catch (err) {
    deps.logger.warn({ err, bookingId: booking.id }, 'payment could not be started; cancelling the booking');
    await deps.db
      .transaction(async (tx) => {
        await tryTransition(tx, { booking, to: 'cancelled', actor: SYSTEM, reason: 'payment_setup_failed' });
        return cancelPendingCharges(tx, booking.id);
      })
      .then(async (abandoned) => {
        for (const p of abandoned) {
          if (!p.providerRef) continue;
          await providerOf(deps, p)
            .cancelPayment(p.providerRef)
            .catch((err: unknown) =>
              deps.logger.warn({ err, paymentId: p.id }, 'could not cancel a payment at the provider'),
            );
        }
      });
    if (booking.holdId) await releaseHold(deps, booking.holdId, booking.id, false);
    throw new Unavailable(
      'payment_unavailable',
      'The payment could not be started; nothing was booked, please retry',
    );
  }
}

async function resumeCreated(
  deps: FlowContext,
  booking: BookingRow,
  isGuest: boolean,
): Promise<CreatedBooking> {
  const rows = await paymentsOf(deps.db, booking.id);
  const charge = rows.find((p) => p.kind === 'charge' && p.purpose === 'booking')!;
  const held = rows.find((p) => p.kind === 'deposit');
  const payment = charge.providerRef ? charge : await startPayment(deps, booking, charge, held);
  const deposit = held && !held.providerRef ? await startDeposit(deps, booking, held) : held;
  if (!isGuest && !booking.accessTokenHash) return { booking, payment, deposit };
  // The first attempt's token never reached the caller, so a fresh one replaces it.
  const token = newAccessToken(deps.tokenSecret, booking.id);
  await replaceAccessToken(deps.db, booking.id, token.hash);
  return { booking, payment, deposit, accessToken: token.token };
}

/**
 * Gives the slot back after a failed creation. A hold the caller brought stays theirs: only the
 * booking's claim on it is dropped by letting it lapse, so it is not released here.
 */
async function releaseHold(
  deps: FlowContext,
  holdId: string,
  bookingId: string,
  adopted: boolean,
): Promise<void> {
  if (adopted) return;
  try {
    await deps.rpc.call(availabilityRpc.release, { holdId, bookingId }, { timeoutMs: deps.rpcTimeoutMs });
  } catch (err) {
    deps.logger.warn(
      { err, holdId, bookingId },
      'could not release the hold of a failed booking; it will lapse',
    );
  }
}
