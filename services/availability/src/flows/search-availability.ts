/** Availability of many items (named, or matching filters) for one period, in one SQL statement. */
import { NotFound, type ItemType } from '@midas/contracts';
import { occupationsByFilter, occupationsOfItems } from '../db/occupations';
import type { Period } from '../domain/period';
import { explainAvailability } from '../domain/reasons';
import type { FlowContext } from './context';
import type { AvailabilityAnswer } from './check-availability';

export const MAX_SEARCH_ITEMS = 500;

export type SearchQuery = { itemIds: string[] } | { type?: ItemType; location?: string };

export async function searchAvailability(
  ctx: FlowContext,
  query: SearchQuery,
  wanted: Period,
  viewer: { staff: boolean },
): Promise<{ items: (AvailabilityAnswer & { itemId: string })[]; truncated: boolean }> {
  const now = ctx.now();
  let found;
  let truncated = false;
  if ('itemIds' in query) {
    const ids = [...new Set(query.itemIds)];
    found = await occupationsOfItems(ctx.pool, ids, wanted, now);
    const visible = new Set(found.filter((f) => f.rules.active || viewer.staff).map((f) => f.itemId));
    const missing = ids.filter((id) => !visible.has(id));
    if (missing.length) throw new NotFound('item', `No such items: ${missing.join(', ')}`);
  } else {
    found = await occupationsByFilter(ctx.pool, query, wanted, now, MAX_SEARCH_ITEMS + 1);
    truncated = found.length > MAX_SEARCH_ITEMS;
    found = found.slice(0, MAX_SEARCH_ITEMS);
  }
  const items = found.map((f) => ({
    itemId: f.itemId,
    ...explainAvailability(f.rules, wanted, f.occupations, now),
  }));
  return { items, truncated };
}
