/** Changes an add-on. */
import { NotFound } from '@midas/contracts';
import { PgCode, pgErrorCode } from '@midas/db';
import type { Actor } from '../db/audit';
import { recordChange } from '../events/publish/pricing-changes';
import { addOnRows, type AddOnRow, type NewAddOn } from '../db/add-ons';
import { addOnConflict } from './create-add-on';
import type { FlowContext } from './context';

export async function changeAddOn(
  deps: FlowContext,
  actor: Actor,
  id: string,
  patch: Partial<NewAddOn>,
): Promise<AddOnRow> {
  let next: NewAddOn | undefined;
  try {
    return await deps.db.transaction(async (tx) => {
      const before = await addOnRows.find(tx, id);
      if (!before) throw new NotFound('add-on', `Add-on ${id} not found`);
      const { id: _id, createdAt: _created, ...current } = before;
      next = { ...current, ...patch };
      const after = await addOnRows.update(tx, id, next);
      await recordChange(tx, actor, { action: 'update', entity: 'add_on', entityId: id, before, after });
      return after;
    });
  } catch (err) {
    if (next && pgErrorCode(err) === PgCode.uniqueViolation) throw addOnConflict(next);
    throw err;
  }
}
