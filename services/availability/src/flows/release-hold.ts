/**
 * A holder gives their hold back. Only its holder (same token subject, or the guest's
 * holdToken) or an admin may; anyone else is told it does not exist. A hold a booking has
 * taken over is released by cancelling that booking instead.
 */
import { Conflict, NotFound } from '@midas/contracts';
import { deactivate, findAllocation, type Allocation } from '../db/allocations';
import { inTransaction } from '../db/transaction';
import { enqueueHoldEnded } from '../events/publish/outbox';
import type { FlowContext } from './context';
import { holdTokenMatches } from './hold-token';

export interface Releaser {
  sub?: string;
  holdToken?: string;
  admin: boolean;
}

/** Returns the released row, or undefined when it had already ended (releasing twice is harmless). */
export async function releaseHold(
  ctx: FlowContext,
  holdId: string,
  who: Releaser,
): Promise<Allocation | undefined> {
  const ended = await inTransaction(ctx.db, async (tx) => {
    const row = await findAllocation(tx, holdId, { forUpdate: true });
    if (!row || row.kind === 'blackout') throw new NotFound('hold');
    const mine =
      who.admin ||
      (who.sub !== undefined && who.sub === row.holderSub) ||
      holdTokenMatches(who.holdToken, row.holderTokenHash);
    if (!mine) throw new NotFound('hold');
    if (row.kind === 'booking') {
      throw new Conflict('hold_confirmed', 'This hold became a booking; cancel the booking to free the slot');
    }
    if (row.ref && row.active) {
      throw new Conflict('hold_in_use', 'A booking is using this hold; cancel the booking to free the slot');
    }
    if (!row.active) return undefined;
    const released = await deactivate(tx, row.id, 'released');
    if (released) await enqueueHoldEnded(tx, 'hold.released', released);
    return released;
  });
  if (ended) ctx.metrics.holdsEnded.inc({ outcome: 'released' });
  return ended;
}
