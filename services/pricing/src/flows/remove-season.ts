/** Removes a season. */
import { NotFound } from '@midas/contracts';
import type { Actor } from '../db/audit';
import { recordChange } from '../events/publish/pricing-changes';
import { seasonRows } from '../db/seasons';
import type { FlowContext } from './context';

export async function removeSeason(deps: FlowContext, actor: Actor, id: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const before = await seasonRows.find(tx, id);
    if (!before) throw new NotFound('season', `Season ${id} not found`);
    await seasonRows.remove(tx, id);
    await recordChange(tx, actor, { action: 'delete', entity: 'season', entityId: id, before });
  });
}
