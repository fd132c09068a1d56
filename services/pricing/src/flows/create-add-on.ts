/** Offers a new add-on; one code per item type, location and currency (409 otherwise). */
import { Conflict } from '@midas/contracts';
import { PgCode, pgErrorCode } from '@midas/db';
import type { Actor } from '../db/audit';
import { recordChange } from '../events/publish/pricing-changes';
import { addOnRows, type AddOnRow, type NewAddOn } from '../db/add-ons';
import type { FlowContext } from './context';

export function addOnConflict(addOn: NewAddOn): Conflict {
  return new Conflict(
    'add_on_exists',
    `An add-on "${addOn.code}" in ${addOn.currency} is already offered for ${addOn.itemType} at ${addOn.location ?? 'every location'}`,
  );
}

export async function createAddOn(deps: FlowContext, actor: Actor, addOn: NewAddOn): Promise<AddOnRow> {
  try {
    return await deps.db.transaction(async (tx) => {
      const row = await addOnRows.insert(tx, addOn);
      await recordChange(tx, actor, { action: 'create', entity: 'add_on', entityId: row.id, after: row });
      return row;
    });
  } catch (err) {
    if (pgErrorCode(err) === PgCode.uniqueViolation) throw addOnConflict(addOn);
    throw err;
  }
}
