/**
 * The security deposit at its lead time (domain/deposit-schedule.ts): the `deposit.<booking>`
 * job, the deposit repair sweep and staff (POST /v1/bookings/:id/deposit/authorize) all come here.
 *
 * - Stripe (`lead_time`): a manual-capture PaymentIntent confirmed off-session with the card the
 *   booking's payment saved.
 * - PayPal (`at_booking`): held since the payer approved it; past PayPal's 3-day honour period it
 *   is reauthorised, past day 29 it can no longer be and counts as declined.
 *
 * A refusal marks the deposit `declined` and publishes `payment.deposit_declined` (the guest and
 * the admins are emailed) in one transaction; the provider's idempotency key carries the attempt
 * number, so the job and the sweep racing end in one authorisation, and a retry is a new attempt.
 */
import { enqueueEvent } from '@midas/messaging';
import { Conflict, Forbidden, Unavailable } from '@midas/contracts';
import { findBooking } from '../db/bookings';
import { paymentsOf, recordDepositOutcome } from '../db/payments';
import type { BookingRow, PaymentRow } from '../db/schema';
import { summaryOf } from '../events/publish/booking-summary';
import {
  DEFAULT_DEPOSIT_LEAD_HOURS,
  judgeDepositAuthorization,
  judgeHeldAuthorization,
} from '../domain/deposit-schedule';
import type { DepositAuthorization } from '../payments/payment-provider';
import { actorOf, providerOf, SYSTEM, type Actor, type Caller, type FlowContext } from './context';
import { findVisibleBooking } from './find-visible-booking';

export type DepositOutcome =
  | { kind: 'wait'; until: Date }
  | { kind: 'authorized' }
  | { kind: 'declined'; code: string }
  /** A hold still honoured (PayPal within 3 days), left as it is. */
  | { kind: 'kept' }
  | { kind: 'none' };

function depositOf(rows: readonly PaymentRow[]): PaymentRow | undefined {
  // Newest first: a booking has one deposit.
  return rows.find((p) => p.kind === 'deposit');
}

function leadHours(deps: FlowContext): number {
  return deps.depositLeadHours ?? DEFAULT_DEPOSIT_LEAD_HOURS;
}

export async function authorizeDepositNow(
  deps: FlowContext,
  bookingId: string,
  opts: { retry?: boolean; actor?: Actor } = {},
): Promise<DepositOutcome> {
  const booking = await findBooking(deps.db, bookingId);
  if (!booking) return { kind: 'none' };
  const rows = await paymentsOf(deps.db, bookingId);
  const deposit = depositOf(rows);
  if (!deposit) return { kind: 'none' };
  const provider = providerOf(deps, deposit);
  const now = deps.now();
  // A deposit the payer approves (PayPal's order, `local`) is held by the capture or confirm
  // route, not here: until then there is nothing the provider can take without the payer.
  if (deposit.status === 'pending' && provider.depositTiming === 'at_booking') return { kind: 'none' };
  // A hold made at booking is renewed once, before the rental starts (PayPal reauthorises once).
  const renewal = deposit.status === 'authorized' && provider.depositTiming === 'at_booking' && !opts.retry;
  if (renewal && now.getTime() >= booking.startAt.getTime()) return { kind: 'none' };
  const step = judgeDepositAuthorization({
    status: booking.status,
    deposit: renewal ? 'pending' : deposit.status,
    start: booking.startAt,
    end: booking.endAt,
    now,
    leadHours: leadHours(deps),
    retry: opts.retry,
  });
  if (step.kind !== 'authorize') return step.kind === 'wait' ? step : { kind: 'none' };
  const actor = opts.actor ?? SYSTEM;

  let answer: DepositAuthorization;
  if (renewal) {
    const held = judgeHeldAuthorization(deposit.authorizedAt ?? deposit.createdAt, now);
    if (held === 'keep') return { kind: 'kept' };
    answer =
      held === 'expired'
        ? {
            status: 'declined',
            code: 'authorization_expired',
            reason: 'the authorisation held since booking is past the 29 days it can be renewed in',
          }
        : await ask(deps, booking, deposit, rows, now);
  } else {
    answer = await ask(deps, booking, deposit, rows, now);
  }
  return record(deps, booking, deposit, answer, actor);
}

async function ask(
  deps: FlowContext,
  booking: BookingRow,
  deposit: PaymentRow,
  rows: readonly PaymentRow[],
  now: Date,
): Promise<DepositAuthorization> {
  const charge = rows.find((p) => p.kind === 'charge' && p.purpose === 'booking' && p.status === 'succeeded');
  const period = `${booking.startAt.toISOString()} – ${booking.endAt.toISOString()}`;
  return providerOf(deps, deposit).authorizeDeposit({
    paymentId: deposit.id,
    bookingId: booking.id,
    amount: deposit.amount,
    currency: deposit.currency,
    description: `Security deposit, ${booking.itemName} ${period}`,
    attempt: deposit.authorizeAttempts,
    savedFrom: charge?.providerRef ?? undefined,
    held:
      deposit.status === 'authorized' && deposit.providerRef
        ? { providerRef: deposit.providerRef, authorizedAt: deposit.authorizedAt ?? deposit.createdAt ?? now }
        : undefined,
  });
}

async function record(
  deps: FlowContext,
  booking: BookingRow,
  deposit: PaymentRow,
  answer: DepositAuthorization,
  actor: Actor,
): Promise<DepositOutcome> {
  const from = [deposit.status];
  if (answer.status === 'authorized') {
    await deps.db.transaction((tx) =>
      recordDepositOutcome(tx, deposit.id, 'authorized', {
        from,
        providerRef: answer.providerRef,
        detail:
          deposit.status === 'authorized'
            ? 'authorisation renewed before the start'
            : 'authorised before the start',
        actor,
      }),
    );
    return { kind: 'authorized' };
  }
  await deps.db.transaction(async (tx) => {
    const row = await recordDepositOutcome(tx, deposit.id, 'declined', {
      from,
      // A refused renewal keeps pointing at the order whose hold lapses; a refused new hold at its attempt.
      providerRef: answer.providerRef ?? deposit.providerRef,
      clientSecret: answer.clientSecret ?? null,
      detail: `${answer.code}: ${answer.reason}`,
      actor,
    });
    if (!row) return;
    await enqueueEvent(tx, 'booking', {
      type: 'payment.deposit_declined',
      data: {
        ...summaryOf(booking),
        provider: row.provider,
        paymentId: row.id,
        amount: row.amount,
        code: answer.code,
        reason: answer.reason,
        attempts: row.authorizeAttempts,
        guestCanComplete: answer.clientSecret !== undefined,
      },
    });
  });
  deps.logger.warn(
    { bookingId: booking.id, paymentId: deposit.id, code: answer.code },
    'the security deposit was declined',
  );
  return { kind: 'declined', code: answer.code };
}

/**
 * POST /v1/bookings/:id/deposit/authorize (admin, concierge): once the guest updated their card,
 * one more attempt now, under a new idempotency key. The answer is the booking afterwards
 * (`authorized`, or `declined` again with the guest and admins told again).
 */
export async function retryDepositAuthorization(
  deps: FlowContext,
  caller: Caller,
  bookingId: string,
): Promise<BookingRow> {
  const { booking, party } = await findVisibleBooking(deps.db, bookingId, caller);
  if (party !== 'concierge' && party !== 'admin') {
    throw new Forbidden('Only staff may ask for the deposit again');
  }
  const deposit = depositOf(await paymentsOf(deps.db, booking.id));
  if (deposit?.status !== 'declined') {
    throw new Conflict('deposit_not_declined', 'This booking has no declined deposit to authorise again');
  }
  let outcome: DepositOutcome;
  try {
    outcome = await authorizeDepositNow(deps, booking.id, { retry: true, actor: actorOf(caller) });
  } catch (err) {
    deps.logger.warn({ err, bookingId: booking.id }, 'the provider did not answer a deposit authorisation');
    throw new Unavailable(
      'payment_provider_unavailable',
      'The payment provider did not answer; please retry',
    );
  }
  if (outcome.kind === 'none') {
    throw new Conflict(
      'deposit_not_due',
      `A deposit cannot be authorised while the booking is ${booking.status} or once the rental is over`,
    );
  }
  return (await findBooking(deps.db, booking.id))!;
}

/**
 * The dates of a booking moved: a hold made for the old dates (by the lead-time job, so it lapses
 * on the old schedule) is voided and the deposit waits again for the new start - lead, where the
 * rescheduled job asks for it. A PayPal hold made at booking belongs to no date and stays.
 */
export async function depositForNewDates(deps: FlowContext, bookingId: string): Promise<void> {
  const deposit = depositOf(await paymentsOf(deps.db, bookingId));
  if (!deposit || deposit.status !== 'authorized' || !deposit.providerRef) return;
  const provider = providerOf(deps, deposit);
  if (provider.depositTiming !== 'lead_time') return;
  try {
    const outcome = await provider.cancelPayment(deposit.providerRef);
    if (outcome === 'not_cancellable') return;
  } catch (err) {
    // The hold stays for now; staff can release it. The deposit is not asked for twice.
    deps.logger.warn(
      { err, bookingId, paymentId: deposit.id },
      'could not void the deposit for the old dates',
    );
    return;
  }
  await deps.db.transaction((tx) =>
    recordDepositOutcome(tx, deposit.id, 'pending', {
      from: ['authorized'],
      providerRef: null,
      detail: 'dates moved: the hold for the old dates was voided, asked again before the new start',
    }),
  );
}
