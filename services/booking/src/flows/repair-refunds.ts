/**
 * The refund repair: refunds recorded but never started (the provider was away when the booking
 * was cancelled, re-priced or lost its slot) are asked for again, and started ones still pending
 * are read back (a lost charge.refunded), each on its own backoff. The provider's idempotency key
 * comes from the refund's id, so a refund asked for twice is still one refund.
 */
import { claimRefundsToRepair } from '../db/refund-repairs';
import { nextRepairAt, type RepairBackoff } from '../domain';
import type { FlowContext } from './context';
import { advanceRefund } from './refund-payments';

export interface RefundRepairOptions extends RepairBackoff {
  /** Refunds visited per sweep. */
  batch: number;
}

export interface RefundRepair {
  visited: number;
  /** Visits that could not reach the provider; each is tried again after its backoff. */
  unreachable: number;
}

export async function repairRefunds(deps: FlowContext, opts: RefundRepairOptions): Promise<RefundRepair> {
  const now = deps.now();
  const claimed = await claimRefundsToRepair(deps.db, {
    now,
    // A refund is first left to the start its own flow makes right after recording it.
    firstVisitBefore: new Date(now.getTime() - opts.baseMs),
    limit: opts.batch,
    nextVisit: (attempts) => nextRepairAt(now, attempts, opts),
  });
  const result: RefundRepair = { visited: claimed.length, unreachable: 0 };
  for (const refund of claimed) {
    try {
      if (!(await advanceRefund(deps, refund))) result.unreachable++;
    } catch (err) {
      result.unreachable++;
      deps.logger.warn(
        { err, refundId: refund.id, bookingId: refund.bookingId, attempts: refund.repairAttempts },
        'open refund could not be read back from the provider',
      );
    }
  }
  return result;
}
