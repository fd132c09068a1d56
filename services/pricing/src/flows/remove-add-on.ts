/** Stops offering an add-on; quotes already given keep their lines. */
import { NotFound } from '@midas/contracts';
import type { Actor } from '../db/audit';
import { recordChange } from '../events/publish/pricing-changes';
import { addOnRows } from '../db/add-ons';
import type { FlowContext } from './context';

export async function removeAddOn(deps: FlowContext, actor: Actor, id: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const before = await addOnRows.find(tx, id);
    if (!before) throw new NotFound('add-on', `Add-on ${id} not found`);
    await addOnRows.remove(tx, id);
    await recordChange(tx, actor, { action: 'delete', entity: 'add_on', entityId: id, before });
  });
}
