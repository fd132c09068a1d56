/** Removes a location adjustment. */
import { NotFound } from '@midas/contracts';
import type { Actor } from '../db/audit';
import { recordChange } from '../events/pricing-changes';
import { deleteLocationAdjustment, findLocationAdjustmentById } from '../db/location-adjustments';
import type { PricingDeps } from './pricing-deps';

export async function removeLocationAdjustment(deps: PricingDeps, actor: Actor, id: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const before = await findLocationAdjustmentById(tx, id);
    if (!before) throw new NotFound('location adjustment', `Location adjustment ${id} not found`);
    await deleteLocationAdjustment(tx, id);
    await recordChange(tx, actor, { action: 'delete', entity: 'location_adjustment', entityId: id, before });
  });
}
