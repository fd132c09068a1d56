/** Stored quotes, so a booking can lock the price its guest was shown until the quote expires. */
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { quotes } from './schema';

export type QuoteRow = typeof quotes.$inferSelect;

export async function insertQuote(tx: Tx, quote: typeof quotes.$inferInsert): Promise<void> {
  await tx.insert(quotes).values(quote);
}

export async function findQuote(tx: Tx, id: string): Promise<QuoteRow | undefined> {
  const [row] = await tx.select().from(quotes).where(eq(quotes.id, id));
  return row;
}

/** Deletes up to `limit` quotes that expired before `cutoff`; returns how many went. */
export async function deleteQuotesExpiredBefore(tx: Tx, cutoff: Date, limit: number): Promise<number> {
  const result = await tx.execute(sql`
    DELETE FROM pricing.quotes
     WHERE id IN (SELECT id FROM pricing.quotes WHERE expires_at < ${cutoff.toISOString()} LIMIT ${limit})`);
  return result.rowCount ?? 0;
}
