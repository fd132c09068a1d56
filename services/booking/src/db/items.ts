/** The local copy of availability's items, kept from item.* events and filled on demand. */
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { itemCopyOf, type ItemSnapshot } from '@midas/contracts';
import { items } from './schema';

export async function upsertItem(tx: Tx, item: ItemSnapshot): Promise<void> {
  const values = itemCopyOf(item);
  await tx
    .insert(items)
    .values(values)
    .onConflictDoUpdate({ target: items.id, set: { ...values, updatedAt: sql`now()` } });
}

export async function findItem(tx: Tx, id: string) {
  const [row] = await tx.select().from(items).where(eq(items.id, id));
  return row;
}
