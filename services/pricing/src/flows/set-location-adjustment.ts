/** Creates or replaces the surcharge or discount of a location (for all item types or one). */
import type { ItemType } from '@midas/contracts';
import type { Actor } from '../db/audit';
import { recordSet } from '../events/publish/pricing-changes';
import {
  findLocationAdjustment,
  lockLocationAdjustmentsAt,
  putLocationAdjustment,
  type LocationAdjustmentRow,
} from '../db/location-adjustments';
import type { FlowContext } from './context';

export async function setLocationAdjustment(
  deps: FlowContext,
  actor: Actor,
  adjustment: { location: string; itemType: ItemType | null; description: string; bps: number },
): Promise<LocationAdjustmentRow> {
  return deps.db.transaction(async (tx) => {
    await lockLocationAdjustmentsAt(tx, adjustment.location);
    const before = await findLocationAdjustment(tx, adjustment.location, adjustment.itemType);
    const after = await putLocationAdjustment(tx, adjustment);
    await recordSet(tx, actor, { entity: 'location_adjustment', entityId: after.id, before, after });
    return after;
  });
}
