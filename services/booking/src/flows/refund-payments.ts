/**
 * Step shared by cancellation, no-show settlement, lost slots and price drops: record refund rows
 * against the charges (inside the caller's transaction), then ask the provider after commit and
 * settle at once when it does.
 */
import { randomUUID } from 'node:crypto';
import type { Tx } from '@midas/db';
import { insertPayment, paymentsOf, recordProviderRef, refundableCharges } from '../db/payments';
import type { PaymentPurpose, PaymentRow } from '../db/schema';
import { splitRefund } from '../domain';
import type { Actor, FlowDeps } from './deps';
import { settleRefund } from './settle-refund';

export async function recordRefunds(
  tx: Tx,
  deps: Pick<FlowDeps, 'payments'>,
  booking: { id: string; currency: string },
  amount: number,
  purpose: PaymentPurpose,
  actor: Actor,
  reason: string,
): Promise<PaymentRow[]> {
  if (amount <= 0) return [];
  const charges = refundableCharges(await paymentsOf(tx, booking.id));
  const refunds: PaymentRow[] = [];
  for (const part of splitRefund(amount, charges)) {
    const charge = charges.find((c) => c.id === part.chargeId)!;
    refunds.push(
      await insertPayment(tx, {
        id: randomUUID(),
        bookingId: booking.id,
        kind: 'refund',
        purpose,
        provider: deps.payments.name,
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

/** After commit: hands each recorded refund to the provider; the ones it settles at once are settled here. */
export async function startRefunds(deps: FlowDeps, refunds: readonly PaymentRow[]): Promise<void> {
  for (const refund of refunds) {
    const charge = (await paymentsOf(deps.db, refund.bookingId)).find((p) => p.id === refund.refundOf);
    try {
      const started = await deps.payments.refund({
        refundId: refund.id,
        chargeRef: charge?.providerRef ?? '',
        amount: refund.amount,
        currency: refund.currency,
        reason: refund.reason ?? refund.purpose,
      });
      await recordProviderRef(deps.db, refund.id, started.providerRef);
      if (started.status === 'succeeded') await settleRefund(deps, refund.id);
    } catch (err) {
      // The refund row stays pending; the provider's webhook or a retry settles it.
      deps.logger.error(
        { err, refundId: refund.id, bookingId: refund.bookingId },
        'refund could not be started',
      );
    }
  }
}
