/** The one row a table holds for a condition (a key, or a unique pair), optionally locked until the transaction ends. */
import type { SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from '@midas/db';

export async function firstRow<T extends PgTable>(
  tx: Tx,
  table: T,
  where: SQL | undefined,
  lock?: 'update',
): Promise<T['$inferSelect'] | undefined> {
  const query = tx
    .select()
    .from(table as PgTable)
    .where(where);
  const [row] = await (lock ? query.for(lock) : query);
  return row as T['$inferSelect'] | undefined;
}
