/** The add-on catalog: per item type, for one location or every location. */
import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import type { ItemType } from '@midas/contracts';
import type { Tx } from '@midas/db';
import { addOns } from './schema';

export type AddOnRow = typeof addOns.$inferSelect;
export type NewAddOn = Omit<typeof addOns.$inferInsert, 'id' | 'createdAt'>;

export async function listAddOns(
  tx: Tx,
  filter: { itemType?: ItemType; location?: string; afterId?: string; limit: number },
): Promise<AddOnRow[]> {
  const where: SQL[] = [];
  if (filter.itemType) where.push(eq(addOns.itemType, filter.itemType));
  if (filter.location) where.push(sql`lower(${addOns.location}) = lower(${filter.location})`);
  if (filter.afterId) where.push(gt(addOns.id, filter.afterId));
  return tx
    .select()
    .from(addOns)
    .where(and(...where))
    .orderBy(asc(addOns.id))
    .limit(filter.limit);
}

export async function findAddOn(tx: Tx, id: string): Promise<AddOnRow | undefined> {
  const [row] = await tx.select().from(addOns).where(eq(addOns.id, id));
  return row;
}

export async function insertAddOn(tx: Tx, addOn: NewAddOn): Promise<AddOnRow> {
  const [row] = await tx.insert(addOns).values(addOn).returning();
  return row!;
}

export async function updateAddOn(tx: Tx, id: string, addOn: NewAddOn): Promise<AddOnRow> {
  const [row] = await tx.update(addOns).set(addOn).where(eq(addOns.id, id)).returning();
  return row!;
}

export async function deleteAddOn(tx: Tx, id: string): Promise<void> {
  await tx.delete(addOns).where(eq(addOns.id, id));
}
