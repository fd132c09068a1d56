/** Staff lift a blackout; the row stays, inactive, for the record. */
import { Forbidden, NotFound } from '@midas/contracts';
import { deactivate, findAllocation, type Allocation } from '../db/allocations';
import { findItem } from '../db/items';
import { inTransaction } from '../db/transaction';
import { enqueueBlackoutEvent } from '../events/outbox';
import type { FlowContext } from './context';

export async function deleteBlackout(
  ctx: FlowContext,
  itemId: string,
  blackoutId: string,
  actor: { admin: boolean; location?: string },
): Promise<Allocation> {
  return inTransaction(ctx.db, async (tx) => {
    const row = await findAllocation(tx, blackoutId, { forUpdate: true });
    if (!row || row.kind !== 'blackout' || row.itemId !== itemId || !row.active)
      throw new NotFound('blackout');
    if (!actor.admin && actor.location) {
      const item = await findItem(tx, itemId);
      if (item && item.location !== actor.location)
        throw new Forbidden(`This item is in ${item.location}, outside your location`);
    }
    const ended = (await deactivate(tx, row.id, 'deleted'))!;
    await enqueueBlackoutEvent(tx, 'blackout.deleted', ended);
    return ended;
  });
}
