/** Stored quotes, so a booking can lock the price its guest was shown until the quote expires. */
import { eq, sql } from 'drizzle-orm';
import type { Pool, Tx } from '@midas/db';
import { quotes } from './schema';

export type QuoteRow = typeof quotes.$inferSelect;

/** A named statement, prepared once per connection: every quote request stores one. */
export async function insertQuote(db: Pick<Pool, 'query'>, quote: typeof quotes.$inferInsert): Promise<void> {
  await db.query({
    name: 'pricing.insert_quote',
    text: `INSERT INTO pricing.quotes (id, item_id, start, "end", tier, add_ons, currency, total, lines, expires_at, points_redeemed)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    values: [
      quote.id,
      quote.itemId,
      quote.start,
      quote.end,
      quote.tier,
      JSON.stringify(quote.addOns),
      quote.currency,
      quote.total,
      JSON.stringify(quote.lines),
      quote.expiresAt,
      quote.pointsRedeemed ?? 0,
    ],
  });
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
