/**
 * Step shared by cancellation, no-show settlement, lost slots and price drops: record refund rows
 * against the charges (inside the caller's transaction), then ask the provider after commit and
 * settle at once when it does.
 */
import { randomUUID } from 'node:crypto';
import type { Tx } from '@midas/db';
import { findPayment, insertPayment, paymentsOf, recordProviderRef, refundableCharges } from '../db/payments';
import type { PaymentPurpose, PaymentRow } from '../db/schema';
import { splitRefund } from '../domain';
import type { RefundState } from '../payments/payment-provider';
import { providerOf, type Actor, type FlowContext } from './context';
import { failRefund } from './fail-refund';
import { settleRefund } from './settle-refund';

export async function recordRefunds(
  tx: Tx,
  deps: Pick<FlowContext, 'payments'>,
  booking: { id: string; currency: string; paymentProvider: string },
  amount: number,
  purpose: PaymentPurpose,
  actor: Actor,
  reason: string,
  /** Take it all from this charge (a late payment goes back from itself). */
  fromCharge?: string,
): Promise<PaymentRow[]> {
  if (amount <= 0) return [];
  const charges = refundableCharges(await paymentsOf(tx, booking.id)).filter(
    (c) => fromCharge === undefined || c.id === fromCharge,
  );
  const refunds: PaymentRow[] = [];
  for (const part of splitRefund(amount, charges)) {
    const charge = charges.find((c) => c.id === part.chargeId)!;
    refunds.push(
      await insertPayment(tx, {
        id: randomUUID(),
        bookingId: booking.id,
        kind: 'refund',
        purpose,
        provider: booking.paymentProvider,
        providerRef: null,
        amount: part.amount,
        currency: booking.currency,
        status: 'pending',
        refundOf: charge.id,
        reason,
        requestedByRole: actor.role,
        requestedById: actor.id ?? null,
      }),
    );
  }
  return refunds;
}

/**
 * After commit: hands each recorded refund to the provider; the ones it settles at once are
 * settled here, the others when the provider reports (Stripe's charge.refunded). One the provider
 * could not take stays pending for the refund repair sweep.
 */
export async function startRefunds(deps: FlowContext, refunds: readonly PaymentRow[]): Promise<void> {
  for (const refund of refunds) await startRefund(deps, refund);
}

/**
 * Asks the provider for one recorded refund, under an idempotency key from the refund's id, so
 * asking again after a lost answer never refunds twice. False when the provider could not be asked.
 */
export async function startRefund(deps: FlowContext, refund: PaymentRow): Promise<boolean> {
  const charge = (await paymentsOf(deps.db, refund.bookingId)).find((p) => p.id === refund.refundOf);
  try {
    const started = await providerOf(deps, refund).refund({
      refundId: refund.id,
      bookingId: refund.bookingId,
      paymentRef: charge?.providerRef ?? '',
      chargeRef: charge?.providerChargeRef ?? undefined,
      amount: refund.amount,
      currency: refund.currency,
      reason: refund.reason ?? refund.purpose,
      attempt: refund.refundFailures,
    });
    await recordProviderRef(deps.db, refund.id, started.providerRef);
    await applyRefundState(deps, refund.id, started.status, started);
    return true;
  } catch (err) {
    // The refund row stays pending; the provider's webhook or the repair sweep takes it up again.
    deps.logger.error(
      { err, refundId: refund.id, bookingId: refund.bookingId },
      'refund could not be started',
    );
    return false;
  }
}

/**
 * Moves an open refund along: starts one that never reached the provider, and reads back the
 * provider's word on one that did. False when a start could not reach the provider; a read that
 * fails throws.
 */
export async function advanceRefund(deps: FlowContext, refund: PaymentRow): Promise<boolean> {
  if (!refund.providerRef) return startRefund(deps, refund);
  const state = await providerOf(deps, refund).retrieveRefund(refund.providerRef);
  await applyRefundState(deps, refund.id, state.status, { ...state, providerRef: refund.providerRef });
  return true;
}

/**
 * The provider's word on a refund: settled (the booking may close), failed (asked for again as a
 * new attempt, dead-lettered after REFUND_MAX_ATTEMPTS: flows/fail-refund.ts), or still on its way.
 * `attempt.providerRef` names the attempt the word is about; without it, the refund's current one.
 */
export async function applyRefundState(
  deps: FlowContext,
  refundId: string,
  status: RefundState['status'],
  attempt: { providerRef?: string; failureReason?: string } = {},
): Promise<void> {
  if (status === 'succeeded') {
    await settleRefund(deps, refundId);
  } else if (status === 'failed') {
    const providerRef = attempt.providerRef ?? (await findPayment(deps.db, refundId))?.providerRef;
    if (providerRef) await failRefund(deps, refundId, providerRef, attempt.failureReason);
  }
}
