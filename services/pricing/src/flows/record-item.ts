/** Keeps pricing's copy of an item current from availability's item.created / item.updated events. */
import type { ItemSnapshot } from '@midas/contracts';
import type { Tx } from '@midas/db';
import { upsertItem } from '../db/items';
import { assertPriceableItem } from './resolve-item';

/** `occurredAt` orders snapshots: a late, older event never overwrites a newer copy. Returns whether it was stored. */
export async function recordItem(tx: Tx, item: ItemSnapshot, occurredAt: Date): Promise<boolean> {
  assertPriceableItem(item);
  return upsertItem(tx, item, occurredAt);
}
