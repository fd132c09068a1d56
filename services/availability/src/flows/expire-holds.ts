/** Ending holds whose time has come, one (its delayed job) or all (the sweep), each announced once as hold.expired. */
import { deactivateHoldIfLapsed, deactivateLapsedHolds, findAllocation } from '../db/allocations';
import { IDEMPOTENCY_KEY_TTL_HOURS } from '@midas/http';
import { forgetOldKeys } from '../db/hold-requests';
import { inTransaction } from '../db/transaction';
import { enqueueHoldEnded } from '../events/publish/outbox';
import type { FlowContext } from './context';

const SWEEP_BATCH = 500;

/** Ends the hold if it has lapsed; `notYet` is when it will, if it is still running. */
export async function expireHold(
  ctx: FlowContext,
  holdId: string,
): Promise<{ ended: boolean; notYet?: Date }> {
  const outcome = await inTransaction(ctx.db, async (tx) => {
    const ended = await deactivateHoldIfLapsed(tx, holdId);
    if (ended) {
      await enqueueHoldEnded(tx, 'hold.expired', ended);
      return { ended: true };
    }
    const row = await findAllocation(tx, holdId);
    if (
      row?.active &&
      row.kind === 'hold' &&
      row.expiresAt &&
      row.expiresAt.getTime() > ctx.now().getTime()
    ) {
      return { ended: false, notYet: row.expiresAt };
    }
    return { ended: false };
  });
  if (outcome.ended) ctx.metrics.holdsExpired.inc({ path: 'job' });
  return outcome;
}

/** Ends every lapsed hold, in batches; returns how many. */
export async function sweepLapsedHolds(ctx: FlowContext): Promise<number> {
  let total = 0;
  for (;;) {
    const ended = await inTransaction(ctx.db, async (tx) => {
      const rows = await deactivateLapsedHolds(tx, { limit: SWEEP_BATCH });
      for (const row of rows) await enqueueHoldEnded(tx, 'hold.expired', row);
      return rows.length;
    });
    total += ended;
    if (ended) ctx.metrics.holdsExpired.inc({ path: 'sweep' }, ended);
    if (ended < SWEEP_BATCH) break;
  }
  await forgetOldKeys(ctx.db, IDEMPOTENCY_KEY_TTL_HOURS);
  return total;
}
