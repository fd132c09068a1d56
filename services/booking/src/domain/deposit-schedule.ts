/**
 * When a booking's security deposit is authorised. A card authorisation does not last: Stripe
 * keeps a manual-capture PaymentIntent about 7 days, PayPal honours an authorisation 3 days (and
 * lets it be reauthorised once, up to day 29). So the deposit is not held at booking but
 * DEPOSIT_AUTH_LEAD_HOURS before the rental starts, by a delayed job.
 *
 * The lead time is elapsed time, not wall-clock time: 48 h before a start just after a change to
 * or from summer time is 48 real hours earlier, which reads 47 or 49 hours on the item's clock.
 * The provider's authorisation lifetime is counted in real time too, so this is what keeps the
 * hold valid.
 */
import type { BookingStatus } from '@midas/contracts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How long a Stripe manual-capture authorisation lasts (card networks allow about 7 days). */
export const STRIPE_AUTHORIZATION_HOURS = 7 * 24;
/** PayPal honours an authorised amount for 3 days... */
export const PAYPAL_HONOR_HOURS = 3 * 24;
/** ...and lets it be reauthorised once, no later than 29 days after the original authorisation. */
export const PAYPAL_REAUTHORIZE_DAYS = 29;
/** Default DEPOSIT_AUTH_LEAD_HOURS: inside every provider's lifetime with room for the rental. */
export const DEFAULT_DEPOSIT_LEAD_HOURS = 48;
/** The longest lead the configuration accepts: an authorisation must outlive the wait for the start. */
export const MAX_DEPOSIT_LEAD_HOURS = STRIPE_AUTHORIZATION_HOURS - 24;

/** Booking statuses in which a deposit is wanted on the card: paid for and not over. */
export const DEPOSIT_AUTHORIZABLE: readonly BookingStatus[] = [
  'confirmed',
  'concierge_assigned',
  'ready',
  'in_progress',
];

/** The moment the deposit of a booking starting at `start` is authorised: `leadHours` of real time before. */
export function depositAuthorizeAt(start: Date, leadHours: number): Date {
  return new Date(start.getTime() - leadHours * HOUR_MS);
}

export type DepositStatusForSchedule =
  'pending' | 'authorized' | 'succeeded' | 'failed' | 'cancelled' | 'declined' | 'dead_lettered';

export type DepositStep =
  /** Not yet: the job waits (moved to this moment when it ran early, e.g. after dates moved later). */
  | { kind: 'wait'; until: Date }
  /** Ask the provider for the authorisation now. */
  | { kind: 'authorize' }
  /** Nothing to do: the booking is not paid or is over, or the deposit is no longer waiting. */
  | { kind: 'none'; reason: 'booking_not_active' | 'rental_over' | 'not_waiting' };

/**
 * What the deposit job (or the repair sweep) does for a booking now. A deposit waits (`pending`)
 * until start - lead; from then on, while the booking is active and the rental not over, it is
 * authorised; a booking paid inside the lead time is authorised as soon as it is paid. A
 * `declined` deposit is only tried again when staff ask (`retry`).
 */
export function judgeDepositAuthorization(input: {
  status: BookingStatus;
  deposit: DepositStatusForSchedule;
  start: Date;
  end: Date;
  now: Date;
  leadHours: number;
  /** Staff asked for another attempt after a decline (the guest changed their card). */
  retry?: boolean;
}): DepositStep {
  if (!DEPOSIT_AUTHORIZABLE.includes(input.status)) return { kind: 'none', reason: 'booking_not_active' };
  if (input.now.getTime() >= input.end.getTime()) return { kind: 'none', reason: 'rental_over' };
  const waiting = input.deposit === 'pending' || (input.retry === true && input.deposit === 'declined');
  if (!waiting) return { kind: 'none', reason: 'not_waiting' };
  if (input.retry) return { kind: 'authorize' };
  const at = depositAuthorizeAt(input.start, input.leadHours);
  if (input.now.getTime() < at.getTime()) return { kind: 'wait', until: at };
  return { kind: 'authorize' };
}

export type HeldAuthorizationStep = 'keep' | 'reauthorize' | 'expired';

/**
 * An authorisation already held when the lead time comes (PayPal's, authorised when the payer
 * approved at booking): within PayPal's 3-day honour period it is kept; after it and up to day 29
 * it is reauthorised (once, a fresh 3-day honour period); later it can no longer be renewed.
 */
export function judgeHeldAuthorization(authorizedAt: Date, now: Date): HeldAuthorizationStep {
  const age = now.getTime() - authorizedAt.getTime();
  if (age < PAYPAL_HONOR_HOURS * HOUR_MS) return 'keep';
  if (age < PAYPAL_REAUTHORIZE_DAYS * DAY_MS) return 'reauthorize';
  return 'expired';
}

/** Whether a change of dates needs the deposit authorised again: it was held (or asked for) for other dates. */
export function datesMoved(before: { start: Date; end: Date }, after: { start: Date; end: Date }): boolean {
  return before.start.getTime() !== after.start.getTime() || before.end.getTime() !== after.end.getTime();
}

/**
 * The idempotency key of one authorisation attempt: a retry after a decline, or after dates moved,
 * is a new attempt (the provider would answer the old key with the declined or voided one).
 */
export function depositAuthorizationKey(bookingId: string, paymentId: string, attempt: number): string {
  return `booking-${bookingId}-payment-${paymentId}-authorize-${attempt}`;
}
