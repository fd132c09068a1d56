/** Per-item rate card overrides on top of the rate availability gives the item. */
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { rateCards } from './schema';

export type RateCardRow = typeof rateCards.$inferSelect;

export async function rateCardFor(tx: Tx, itemId: string): Promise<RateCardRow | undefined> {
  const [row] = await tx.select().from(rateCards).where(eq(rateCards.itemId, itemId));
  return row;
}

export async function putRateCard(tx: Tx, card: Omit<RateCardRow, 'updatedAt'>): Promise<RateCardRow> {
  const { itemId: _id, ...changes } = card;
  const [row] = await tx
    .insert(rateCards)
    .values(card)
    .onConflictDoUpdate({ target: rateCards.itemId, set: { ...changes, updatedAt: sql`now()` } })
    .returning();
  return row!;
}
