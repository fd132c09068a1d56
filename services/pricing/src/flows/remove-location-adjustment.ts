/** Removes a location adjustment. */
import { NotFound } from '@midas/contracts';
import type { Actor } from '../db/audit';
import { recordChange } from '../events/publish/pricing-changes';
import { locationAdjustmentRows } from '../db/location-adjustments';
import type { FlowContext } from './context';

export async function removeLocationAdjustment(deps: FlowContext, actor: Actor, id: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const before = await locationAdjustmentRows.find(tx, id);
    if (!before) throw new NotFound('location adjustment', `Location adjustment ${id} not found`);
    await locationAdjustmentRows.remove(tx, id);
    await recordChange(tx, actor, { action: 'delete', entity: 'location_adjustment', entityId: id, before });
  });
}
