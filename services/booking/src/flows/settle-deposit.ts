/**
 * POST /v1/bookings/:id/deposit/capture and /release (staff): take all or part of the held
 * security deposit once the rental is under way or over, or give the hold back. The provider
 * acts first; the row follows by compare-and-swap, so a repeated call changes nothing twice.
 */
import { Conflict, Forbidden, RuleViolation } from '@midas/contracts';
import { findBooking } from '../db/bookings';
import { paymentsOf, swapPaymentStatus } from '../db/payments';
import type { BookingRow, PaymentRow } from '../db/schema';
import { judgeDepositCapture, judgeDepositRelease, type DepositVerdict } from '../domain';
import { actorOf, type Caller, type FlowDeps } from './deps';
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
  deps: FlowDeps,
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
  const state = await deps.payments.capturePayment(deposit!.providerRef!, verdict.amount, deposit!.amount);
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
  deps: FlowDeps,
  caller: Caller,
  bookingId: string,
  body: { reason?: string },
): Promise<BookingRow> {
  const { booking, party } = await findVisibleBooking(deps.db, bookingId, caller);
  const deposit = heldDeposit(await paymentsOf(deps.db, booking.id));
  const verdict = judgeDepositRelease({ party, held: deposit !== undefined });
  if (!verdict.ok) refuse(verdict, booking.status);
  if ((await deps.payments.cancelPayment(deposit!.providerRef!)) === 'not_cancellable') {
    throw new Conflict('deposit_already_captured', 'The deposit was captured at the provider');
  }
  await deps.db.transaction((tx) =>
    swapPaymentStatus(tx, deposit!.id, 'cancelled', {
      from: ['authorized'],
      detail: body.reason ?? 'released by staff',
      actor: actorOf(caller),
    }),
  );
  return (await findBooking(deps.db, booking.id))!;
}
