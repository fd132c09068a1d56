/**
 * Item snapshots (type, name, location, zone, currency) for new bookings: asked from availability
 * over RPC, kept briefly in memory and in the local items table; item.* events refresh both.
 */
import { LRUCache } from 'lru-cache';
import { itemFetcher, NotFound, type ItemFetcher, type ItemSnapshot } from '@midas/contracts';
import type { Db } from '@midas/db';
import { upsertItem } from '../db/items';
import type { Rpc } from './rpc';

export class ItemCatalog {
  private readonly cache: LRUCache<string, ItemSnapshot>;
  private readonly fetch: ItemFetcher;

  constructor(
    private readonly db: Db,
    rpc: Rpc,
    timeoutMs: number,
    ttlMs = 30_000,
  ) {
    this.cache = new LRUCache({ max: 5000, ttl: ttlMs });
    this.fetch = itemFetcher(rpc, timeoutMs);
  }

  async get(itemId: string): Promise<ItemSnapshot> {
    const cached = this.cache.get(itemId);
    if (cached) return cached;
    const item = await this.fetch(itemId);
    if (!item) throw new NotFound('item');
    this.cache.set(itemId, item);
    await upsertItem(this.db, item);
    return item;
  }

  /** Called by the item.* consumer inside its transaction. */
  remember(item: ItemSnapshot): void {
    this.cache.set(item.id, item);
  }
}
