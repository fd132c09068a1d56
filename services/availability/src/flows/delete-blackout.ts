/** Staff lift a blackout; the row stays, inactive, for the record. */
import { NotFound } from '@midas/contracts';
import { deactivate, findAllocation, type Allocation } from '../db/allocations';
import { findItem } from '../db/items';
import { inTransaction } from '../db/transaction';
import { enqueueBlackoutEvent } from '../events/outbox';
import { actsOnItem, type StaffActor } from '../domain/staff-scope';
import type { FlowContext } from './context';
import { outsideScope } from './outside-scope';

export async function deleteBlackout(
  ctx: FlowContext,
  itemId: string,
  blackoutId: string,
  actor: StaffActor,
): Promise<Allocation> {
  return inTransaction(ctx.db, async (tx) => {
    const row = await findAllocation(tx, blackoutId, { forUpdate: true });
    if (!row || row.kind !== 'blackout' || row.itemId !== itemId || !row.active)
      throw new NotFound('blackout');
    const item = await findItem(tx, itemId);
    if (!item) throw new NotFound('blackout');
    if (!actsOnItem(actor, item.location)) throw outsideScope(actor, item.location);
    const ended = (await deactivate(tx, row.id, 'deleted'))!;
    await enqueueBlackoutEvent(tx, 'blackout.deleted', ended);
    return ended;
  });
}
