/** SQL for items: create, change, read and keyset-paginated lists. */
import { and, asc, eq, gt, or, type SQL } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import type { ItemType } from '@midas/contracts';
import { items, type ItemRow } from './schema';

export type NewItem = Omit<ItemRow, 'id' | 'createdAt' | 'updatedAt'>;
export type ItemChanges = Partial<NewItem>;

export async function insertItem(db: Tx, values: NewItem): Promise<ItemRow> {
  const [row] = await db.insert(items).values(values).returning();
  return row!;
}

export async function updateItem(db: Tx, id: string, changes: ItemChanges): Promise<ItemRow | undefined> {
  const [row] = await db
    .update(items)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(items.id, id))
    .returning();
  return row;
}

export async function findItem(
  db: Tx,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<ItemRow | undefined> {
  const query = db.select().from(items).where(eq(items.id, id));
  const [row] = opts.forUpdate ? await query.for('update') : await query;
  return row;
}

export interface ItemFilter {
  type?: ItemType;
  location?: string;
  active?: boolean;
  /** Keyset position: the last item of the previous page. */
  after?: { name: string; id: string };
  limit: number;
}

export async function listItems(db: Tx, f: ItemFilter): Promise<ItemRow[]> {
  const conditions: SQL[] = [];
  if (f.type) conditions.push(eq(items.type, f.type));
  if (f.location) conditions.push(eq(items.location, f.location));
  if (f.active !== undefined) conditions.push(eq(items.active, f.active));
  if (f.after) {
    conditions.push(
      or(gt(items.name, f.after.name), and(eq(items.name, f.after.name), gt(items.id, f.after.id)))!,
    );
  }
  return db
    .select()
    .from(items)
    .where(and(...conditions))
    .orderBy(asc(items.name), asc(items.id))
    .limit(f.limit);
}

export async function hasItems(db: Tx): Promise<boolean> {
  const rows = await db.select({ id: items.id }).from(items).limit(1);
  return rows.length > 0;
}
