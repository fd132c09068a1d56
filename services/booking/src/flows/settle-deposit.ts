/**
 * POST /v1/bookings/:id/deposit/capture and /release (staff): take all or part of the held
 * security deposit once the rental is under way or over, or give the hold back. The provider
 * acts first; the row follows by compare-and-swap, so a repeated call changes nothing twice.
 */
import { Conflict, Forbidden, RuleViolation, Unavailable } from '@midas/contracts';
import { findBooking } from '../db/bookings';
import { paymentsOf, swapPaymentStatus } from '../db/payments';
import type { BookingRow, PaymentRow } from '../db/schema';
import { judgeDepositCapture, judgeDepositRelease, type DepositVerdict } from '../domain';
import type { CancelOutcome, PaymentState } from '../payments/payment-provider';
import { applyPaymentState } from './apply-payment-state';
import { actorOf, providerOf, type Caller, type FlowContext } from './context';
import { findVisibleBooking } from './find-visible-booking';

function refuse(verdict: Exclude<DepositVerdict, { ok: true }>, status: string): never {
  switch (verdict.reason) {
    case 'staff_only':
      throw new Forbidden('Only staff may capture or release a deposit');
    case 'not_held':
      throw new Conflict('deposit_not_held', 'This booking has no deposit held on the card');
    case 'not_due':
      throw new Conflict('deposit_not_due', `A deposit cannot be captured while the booking is ${status}`);
    case 'exceeds_hold':
      throw new RuleViolation('capture_exceeds_deposit', 'A capture cannot exceed the deposit held');
    case 'nothing_to_capture':
      throw new RuleViolation('nothing_to_capture', 'Give a positive amount to capture');
  }
}

function heldDeposit(rows: readonly PaymentRow[]): PaymentRow | undefined {
  return rows.find((p) => p.kind === 'deposit' && p.status === 'authorized' && p.providerRef);
}

export async function captureDeposit(
  deps: FlowContext,
  caller: Caller,
  bookingId: string,
  body: { amount?: number; reason?: string },
): Promise<BookingRow> {
  const { booking, party } = await findVisibleBooking(deps.db, bookingId, caller);
  const deposit = heldDeposit(await paymentsOf(deps.db, booking.id));
  const verdict = judgeDepositCapture({
    party,
    status: booking.status,
    held: deposit !== undefined,
    authorised: deposit?.amount ?? 0,
    requested: body.amount,
  });
  if (!verdict.ok) refuse(verdict, booking.status);
  let state: PaymentState;
  try {
    state = await providerOf(deps, deposit!).capturePayment(
      deposit!.providerRef!,
      verdict.amount,
      deposit!.amount,
    );
  } catch (err) {
    return settleFromProvider(deps, deposit!, err);
  }
  await deps.db.transaction((tx) =>
    swapPaymentStatus(tx, deposit!.id, 'succeeded', {
      from: ['authorized'],
      capturedAmount: state.amountReceived || verdict.amount,
      chargeRef: state.chargeRef,
      detail: body.reason ?? 'captured by staff',
      actor: actorOf(caller),
    }),
  );
  return (await findBooking(deps.db, booking.id))!;
}

export async function releaseDeposit(
  deps: FlowContext,
  caller: Caller,
  bookingId: string,
  body: { reason?: string },
): Promise<BookingRow> {
  const { booking, party } = await findVisibleBooking(deps.db, bookingId, caller);
  const deposit = heldDeposit(await paymentsOf(deps.db, booking.id));
  const verdict = judgeDepositRelease({ party, held: deposit !== undefined });
  if (!verdict.ok) refuse(verdict, booking.status);
  let outcome: CancelOutcome;
  try {
    outcome = await providerOf(deps, deposit!).cancelPayment(deposit!.providerRef!);
  } catch (err) {
    return settleFromProvider(deps, deposit!, err);
  }
  if (outcome === 'not_cancellable') return settleFromProvider(deps, deposit!);
  await deps.db.transaction((tx) =>
    swapPaymentStatus(tx, deposit!.id, 'cancelled', {
      from: ['authorized'],
      detail: body.reason ?? 'released by staff',
      actor: actorOf(caller),
    }),
  );
  return (await findBooking(deps.db, booking.id))!;
}

/**
 * The provider refused or did not answer: someone else may have captured or released the
 * deposit a moment ago. Its current state is recorded and explained; otherwise the provider is
 * unavailable and the request can be retried.
 */
async function settleFromProvider(deps: FlowContext, deposit: PaymentRow, cause?: unknown): Promise<never> {
  let state: PaymentState | undefined;
  try {
    state = await providerOf(deps, deposit).retrievePayment(deposit.providerRef!);
  } catch (err) {
    deps.logger.warn({ err, paymentId: deposit.id }, 'could not read a deposit back from the provider');
  }
  if (state?.status === 'succeeded' || state?.status === 'cancelled') {
    await applyPaymentState(deps, deposit, state);
    throw new Conflict(
      state.status === 'succeeded' ? 'deposit_already_captured' : 'deposit_already_released',
      `The deposit was already ${state.status === 'succeeded' ? 'captured' : 'released'} at the provider`,
    );
  }
  deps.logger.warn({ err: cause, paymentId: deposit.id }, 'the provider refused a deposit change');
  throw new Unavailable('payment_provider_unavailable', 'The payment provider did not answer; please retry');
}
