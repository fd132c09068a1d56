/**
 * The queries every service writes for its plain tables, written once: one row by a key, one
 * keyset page in key order, a row replaced by its key, and the find/insert/update/delete of rows
 * with a generated `id`. Callers keep their own typed wrappers; the casts live here.
 */
import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  gt,
  lt,
  sql,
  type InferInsertModel,
  type InferSelectModel,
  type SQL,
} from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from './tx';

type Row<T extends PgTable> = InferSelectModel<T>;

/** The row whose `column` equals `value`, if any. */
export async function findBy<T extends PgTable>(
  tx: Tx,
  table: T,
  column: PgColumn,
  value: unknown,
): Promise<Row<T> | undefined> {
  const [row] = await tx
    .select()
    .from(table as PgTable)
    .where(eq(column, value));
  return row as Row<T> | undefined;
}

export interface KeysetPage {
  /** The key of the last row of the previous page. */
  after?: unknown;
  limit: number;
  /** Descending key order (newest first); `after` then continues below it. */
  descending?: boolean;
}

/** One page of `table` in `key` order, among the rows every one of `filters` keeps (undefined keeps all). */
export async function keysetPage<T extends PgTable>(
  tx: Tx,
  table: T,
  key: PgColumn,
  page: KeysetPage,
  filters: (SQL | undefined)[] = [],
): Promise<Row<T>[]> {
  const past = page.descending ? lt : gt;
  const after = page.after === undefined ? undefined : past(key, page.after);
  const rows = await tx
    .select()
    .from(table as PgTable)
    .where(and(...filters, after))
    .orderBy(page.descending ? desc(key) : asc(key))
    .limit(page.limit);
  return rows as Row<T>[];
}

/**
 * Inserts `row`, or replaces the row holding its `key` (the table's primary key); `updated_at`
 * becomes now either way. Returns the stored row.
 */
export async function upsertBy<
  T extends PgTable & { updatedAt: PgColumn },
  K extends keyof InferInsertModel<T> & string,
>(tx: Tx, table: T, key: K, row: InferInsertModel<T>): Promise<Row<T>> {
  const { [key]: _key, ...changes } = row as Record<string, unknown>;
  const target = getTableColumns(table)[key]!;
  const [stored] = await tx
    .insert(table as PgTable)
    .values(row)
    .onConflictDoUpdate({ target, set: { ...changes, updatedAt: sql`now()` } })
    .returning();
  return stored as Row<T>;
}

/** Find, insert, update and delete of a table whose rows are known by an `id` column. */
export function rowsById<T extends PgTable & { id: PgColumn }>(table: T) {
  type Values = Partial<InferInsertModel<T>>;
  const anyTable = table as PgTable;
  return {
    find: (tx: Tx, id: string) => findBy(tx, table, table.id, id),
    async insert(tx: Tx, values: InferInsertModel<T>): Promise<Row<T>> {
      const [row] = await tx.insert(anyTable).values(values).returning();
      return row as Row<T>;
    },
    async update(tx: Tx, id: string, values: Values): Promise<Row<T>> {
      const [row] = await tx.update(anyTable).set(values).where(eq(table.id, id)).returning();
      return row as Row<T>;
    },
    async remove(tx: Tx, id: string): Promise<void> {
      await tx.delete(anyTable).where(eq(table.id, id));
    },
  };
}
