/** Per-item rate card overrides on top of the rate availability gives the item. */
import { findBy, upsertBy, type Tx } from '@midas/db';
import { rateCards } from './schema';

export type RateCardRow = typeof rateCards.$inferSelect;

export async function rateCardFor(tx: Tx, itemId: string): Promise<RateCardRow | undefined> {
  return findBy(tx, rateCards, rateCards.itemId, itemId);
}

export async function putRateCard(tx: Tx, card: Omit<RateCardRow, 'updatedAt'>): Promise<RateCardRow> {
  return upsertBy(tx, rateCards, 'itemId', card);
}
