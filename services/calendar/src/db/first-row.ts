/** Reads of one row by hand-written SQL. */
import type { sql, Tx } from '@midas/db';

type RawRow = Record<string, unknown>;
type Query = ReturnType<typeof sql>;

/** The first row `query` returns, through `rowOf`; undefined when it returns none. */
export async function firstRow<T>(tx: Tx, query: Query, rowOf: (r: RawRow) => T): Promise<T | undefined> {
  const res = await tx.execute(query);
  const r = res.rows[0];
  return r ? rowOf(r) : undefined;
}
