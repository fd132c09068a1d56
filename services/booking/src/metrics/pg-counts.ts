/** Counts read from Postgres at scrape time: the one `n` a query returns, or one labelled `n` per row. */
import type { Pool } from '@midas/db';
import type { GaugeSample } from '@midas/observability';

export async function countOf(pool: Pool, text: string, values: unknown[] = []): Promise<number> {
  const res = await pool.query<{ n: string }>(text, values);
  return Number(res.rows[0]?.n ?? 0);
}

/** One sample per row, labelled by the row's columns named in `labelNames`. */
export async function countsBy<L extends string>(
  pool: Pool,
  text: string,
  labelNames: readonly L[],
): Promise<GaugeSample<L>[]> {
  const res = await pool.query<Record<L | 'n', string>>(text);
  return res.rows.map((row) => ({
    labels: Object.fromEntries(labelNames.map((label) => [label, row[label]])) as Record<L, string>,
    value: Number(row.n),
  }));
}
