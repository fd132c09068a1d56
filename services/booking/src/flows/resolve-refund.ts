/**
 * POST /v1/payments/refunds/:id/resolve (admins): a dead-lettered refund closed by hand.
 * `refunded_elsewhere`: the money went back another way (a bank transfer): the refund settles as
 * any refund does (refund.issued, the customer's standing, the booking may become `refunded`).
 * `written_off`: it will not be given back; it no longer counts as owed and the booking keeps its
 * status. Either way the reason and who decided are in the refund's history; no provider is asked.
 */
import { Conflict, NotFound } from '@midas/contracts';
import { swapPaymentStatus } from '../db/payments';
import { findRefund } from '../db/refund-repairs';
import type { PaymentRow } from '../db/schema';
import type { Actor, FlowContext } from './context';
import { settleRefund } from './settle-refund';

export type RefundResolution = 'refunded_elsewhere' | 'written_off';

export async function resolveRefund(
  deps: FlowContext,
  actor: Actor,
  refundId: string,
  outcome: RefundResolution,
  reason: string,
): Promise<PaymentRow> {
  const refund = await findRefund(deps.db, refundId);
  if (!refund) throw new NotFound('Refund');
  const change = {
    from: ['dead_lettered' as const],
    actor: { role: actor.role, id: actor.id },
    detail: `${outcome === 'refunded_elsewhere' ? 'refunded elsewhere' : 'written off'} by staff: ${reason}`,
  };
  const resolved =
    outcome === 'refunded_elsewhere'
      ? await settleRefund(deps, refundId, change)
      : Boolean(await deps.db.transaction((tx) => swapPaymentStatus(tx, refundId, 'cancelled', change)));
  if (!resolved) {
    const now = (await findRefund(deps.db, refundId))!;
    throw new Conflict(
      'refund_not_dead_lettered',
      `The refund is ${now.status}; only a dead-lettered one is resolved by hand`,
    );
  }
  deps.logger.info(
    { refundId, bookingId: refund.bookingId, actor, outcome, reason },
    'dead-lettered refund resolved by staff',
  );
  return (await findRefund(deps.db, refundId))!;
}
