/** Removes the tax of a location. */
import { NotFound } from '@midas/contracts';
import type { Actor } from '../db/audit';
import { recordChange } from '../events/publish/pricing-changes';
import { deleteTax } from '../db/taxes';
import type { FlowContext } from './context';

export async function removeTax(deps: FlowContext, actor: Actor, location: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const before = await deleteTax(tx, location);
    if (!before) throw new NotFound('tax', `No tax is set for ${location}`);
    await recordChange(tx, actor, { action: 'delete', entity: 'tax', entityId: before.location, before });
  });
}
