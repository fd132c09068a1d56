/**
 * Item snapshots (type, name, location, zone, currency) for new bookings: asked from availability
 * over RPC, kept briefly in memory and in the local items table; item.* events refresh both.
 */
import { LRUCache } from 'lru-cache';
import { availabilityRpc, type ItemSnapshot } from '@midas/contracts';
import type { Db } from '@midas/db';
import { upsertItem } from '../db/items';
import type { Rpc } from './rpc';

export class ItemCatalog {
  private readonly cache: LRUCache<string, ItemSnapshot>;

  constructor(
    private readonly db: Db,
    private readonly rpc: Rpc,
    private readonly timeoutMs: number,
    ttlMs = 30_000,
  ) {
    this.cache = new LRUCache({ max: 5000, ttl: ttlMs });
  }

  async get(itemId: string): Promise<ItemSnapshot> {
    const cached = this.cache.get(itemId);
    if (cached) return cached;
    const item = await this.rpc.call(availabilityRpc.getItem, { itemId }, { timeoutMs: this.timeoutMs });
    this.cache.set(itemId, item);
    await upsertItem(this.db, item);
    return item;
  }

  /** Called by the item.* consumer inside its transaction. */
  remember(item: ItemSnapshot): void {
    this.cache.set(item.id, item);
  }
}
