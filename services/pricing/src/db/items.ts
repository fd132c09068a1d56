/** Pricing's copy of the items availability owns: what a quote needs to know about one. */
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { itemCopyOf, type ItemSnapshot } from '@midas/contracts';
import { items } from './schema';

export type ItemRow = typeof items.$inferSelect;

/** Stores a snapshot unless a newer one is already held (events may arrive out of order); true when stored. */
export async function upsertItem(tx: Tx, item: ItemSnapshot, sourceAt: Date): Promise<boolean> {
  const values = { ...itemCopyOf(item), rateUnit: item.rate.unit, rateAmount: item.rate.amount, sourceAt };
  const { id: _id, ...changes } = values;
  const stored = await tx
    .insert(items)
    .values(values)
    .onConflictDoUpdate({
      target: items.id,
      set: { ...changes, updatedAt: sql`now()` },
      setWhere: sql`${items.sourceAt} <= ${sourceAt}`,
    })
    .returning({ id: items.id });
  return stored.length > 0;
}

export async function findItem(tx: Tx, id: string): Promise<ItemRow | undefined> {
  const [row] = await tx.select().from(items).where(eq(items.id, id));
  return row;
}
