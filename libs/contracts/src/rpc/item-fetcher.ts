/**
 * The one way a service asks availability for an item it has not seen (`availability.get_item`):
 * booking's item catalog, pricing's quotes and calendar's entries all use it. Undefined when
 * availability knows no such item; any other failure (a timeout, availability away) is thrown.
 * Also what those services keep of an item in their local copies.
 */
import { NotFound } from '../errors';
import { availabilityRpc, type ItemSnapshot } from './availability';

/** The calling side of the broker's RPC (`broker.call`), for the item lookup. */
export interface ItemRpc {
  call(
    def: typeof availabilityRpc.getItem,
    request: { itemId: string },
    options?: { timeoutMs?: number },
  ): Promise<ItemSnapshot>;
}

export type ItemFetcher = (itemId: string) => Promise<ItemSnapshot | undefined>;

/** The fields of an item every local copy of availability's catalogue stores (each may add its own). */
export function itemCopyOf({ id, type, name, location, timezone, currency, active }: ItemSnapshot) {
  return { id, type, name, location, timezone, currency, active };
}

export function itemFetcher(rpc: ItemRpc, timeoutMs: number): ItemFetcher {
  return async (itemId) => {
    try {
      return await rpc.call(availabilityRpc.getItem, { itemId }, { timeoutMs });
    } catch (err) {
      if (err instanceof NotFound) return undefined;
      throw err;
    }
  };
}
