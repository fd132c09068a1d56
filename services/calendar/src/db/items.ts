/** SQL for what calendar knows of items: name, type and time zone, kept from item and booking events. */
import { sql, type Tx } from '@midas/db';

export interface ItemRow {
  id: string;
  type: string | null;
  name: string | null;
  timezone: string;
}

/** Records an item; fields not given keep their stored value. */
export async function upsertItem(tx: Tx, item: ItemRow): Promise<void> {
  await tx.execute(
    sql`INSERT INTO calendar.items (id, type, name, timezone) VALUES (${item.id}, ${item.type}, ${item.name}, ${item.timezone})
        ON CONFLICT (id) DO UPDATE SET type = COALESCE(excluded.type, calendar.items.type),
          name = COALESCE(excluded.name, calendar.items.name), timezone = excluded.timezone, updated_at = now()`,
  );
}

export async function readItem(tx: Tx, id: string): Promise<ItemRow | undefined> {
  const res = await tx.execute(sql`SELECT id, type, name, timezone FROM calendar.items WHERE id = ${id}`);
  const r = res.rows[0];
  return r
    ? {
        id: r.id as string,
        type: (r.type as string | null) ?? null,
        name: (r.name as string | null) ?? null,
        timezone: r.timezone as string,
      }
    : undefined;
}

/** Records an item only if calendar has no copy of it yet (an item event's copy is not replaced). */
export async function insertItemIfNew(tx: Tx, item: ItemRow): Promise<void> {
  await tx.execute(
    sql`INSERT INTO calendar.items (id, type, name, timezone) VALUES (${item.id}, ${item.type}, ${item.name}, ${item.timezone})
        ON CONFLICT (id) DO NOTHING`,
  );
}
