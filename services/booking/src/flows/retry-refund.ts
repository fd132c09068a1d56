/**
 * POST /v1/payments/refunds/:id/retry (admins): a dead-lettered refund is asked for once more, at
 * once, under a new idempotency key, with the staff's reason in its history. If that attempt fails
 * too it is dead-lettered again (and the admins told again); one the provider cannot be reached for
 * stays pending for the refund repair sweep.
 */
import { Conflict, NotFound } from '@midas/contracts';
import { findRefund, reopenDeadLetteredRefund } from '../db/refund-repairs';
import type { PaymentRow } from '../db/schema';
import type { Actor, FlowContext } from './context';
import { startRefund } from './refund-payments';

export async function retryRefund(
  deps: FlowContext,
  actor: Actor,
  refundId: string,
  reason: string,
): Promise<PaymentRow> {
  const reopened = await deps.db.transaction(async (tx) => {
    const refund = await findRefund(tx, refundId, { lock: true });
    if (!refund) throw new NotFound('Refund');
    if (refund.status !== 'dead_lettered') {
      throw new Conflict(
        'refund_not_dead_lettered',
        `The refund is ${refund.status}; only a dead-lettered one is retried by hand`,
      );
    }
    return (await reopenDeadLetteredRefund(tx, refund.id, actor, reason, deps.now()))!;
  });
  deps.logger.info(
    { refundId, bookingId: reopened.bookingId, actor, reason },
    'dead-lettered refund retried by staff',
  );
  await startRefund(deps, reopened);
  return (await findRefund(deps.db, refundId))!;
}
