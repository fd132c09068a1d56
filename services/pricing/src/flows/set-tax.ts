/** Sets (creates or replaces) the tax of a location. */
import type { Actor } from '../db/audit';
import { recordSet } from '../events/publish/pricing-changes';
import { lockTaxAt, putTax, taxAt, type TaxRow } from '../db/taxes';
import type { FlowContext } from './context';

export async function setTax(
  deps: FlowContext,
  actor: Actor,
  tax: Omit<TaxRow, 'updatedAt'>,
): Promise<TaxRow> {
  return deps.db.transaction(async (tx) => {
    await lockTaxAt(tx, tax.location);
    const before = await putTax(tx, tax);
    const after = (await taxAt(tx, tax.location))!;
    await recordSet(tx, actor, { entity: 'tax', entityId: tax.location, before, after });
    return after;
  });
}
