/** The add-on catalog: per item type, for one location or every location. */
import { eq, sql } from 'drizzle-orm';
import type { ItemType } from '@midas/contracts';
import { keysetPage, rowsById, type Tx } from '@midas/db';
import { addOns } from './schema';

export type AddOnRow = typeof addOns.$inferSelect;
export type NewAddOn = Omit<typeof addOns.$inferInsert, 'id' | 'createdAt'>;

export const addOnRows = rowsById(addOns);

export async function listAddOns(
  tx: Tx,
  filter: { itemType?: ItemType; location?: string; afterId?: string; limit: number },
): Promise<AddOnRow[]> {
  return keysetPage(tx, addOns, addOns.id, { after: filter.afterId, limit: filter.limit }, [
    filter.itemType ? eq(addOns.itemType, filter.itemType) : undefined,
    filter.location ? sql`lower(${addOns.location}) = lower(${filter.location})` : undefined,
  ]);
}
