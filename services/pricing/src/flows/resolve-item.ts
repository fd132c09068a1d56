/** Finds the item to price: pricing's own copy, else availability's answer over RPC, which is then kept. */
import { isKnownCurrency, NotFound, RuleViolation, type ItemSnapshot } from '@midas/contracts';
import { findItem, upsertItem, type ItemRow } from '../db/items';
import type { FlowContext } from './context';

export function isKnownTimezone(zone: string): boolean {
  return zone === 'UTC' || Intl.supportedValuesOf('timeZone').includes(zone);
}

/** An item pricing cannot price correctly is refused before it is stored. */
export function assertPriceableItem(item: ItemSnapshot): void {
  if (!isKnownCurrency(item.currency)) {
    throw new RuleViolation('unknown_currency', `Item ${item.id} has an unknown currency "${item.currency}"`);
  }
  if (!isKnownTimezone(item.timezone)) {
    throw new RuleViolation(
      'unknown_timezone',
      `Item ${item.id} has an unknown time zone "${item.timezone}"`,
    );
  }
  if (item.rate.amount < 0) throw new RuleViolation('negative_rate', `Item ${item.id} has a negative rate`);
}

export async function resolveItem(deps: FlowContext, itemId: string): Promise<ItemRow> {
  const held = await findItem(deps.db, itemId);
  if (held) return held;
  const fetched = deps.fetchItem ? await deps.fetchItem(itemId) : undefined;
  if (!fetched) throw new NotFound('item', `Item ${itemId} not found`);
  assertPriceableItem(fetched);
  await upsertItem(deps.db, fetched, deps.now());
  const stored = await findItem(deps.db, itemId);
  if (!stored) throw new NotFound('item', `Item ${itemId} not found`);
  return stored;
}
