/**
 * Staff lift a blackout; the row stays, inactive, for the record. Outside events the blackout kept
 * off the item block their time again; a blackout that follows an outside event is lifted by
 * removing that event from the calendar, not here.
 */
import { Conflict, NotFound } from '@midas/contracts';
import { deactivate, findAllocation, type Allocation } from '../db/allocations';
import { findItem } from '../db/items';
import { createdBy, listOutsideEvents, OUTSIDE_CREATOR, OUTSIDE_REASON } from '../db/outside-events';
import { inTransaction } from '../db/transaction';
import { enqueueBlackoutEvent } from '../events/publish/outbox';
import { actsOnItem, type StaffActor } from '../domain/staff-scope';
import type { FlowContext } from './context';
import { outsideScope } from './outside-scope';
import { placeOutsideBlackouts } from './place-outside-blackouts';

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
    if (row.note === OUTSIDE_REASON && (await createdBy(tx, row.id)) === OUTSIDE_CREATOR) {
      throw new Conflict(
        'outside_event',
        "This blackout follows an event in the item's linked calendar; remove or move the event there",
      );
    }
    const ended = (await deactivate(tx, row.id, 'deleted'))!;
    await enqueueBlackoutEvent(tx, 'blackout.deleted', ended);
    if ((await listOutsideEvents(tx, itemId)).length) await placeOutsideBlackouts(tx, itemId, ctx.metrics);
    return ended;
  });
}
