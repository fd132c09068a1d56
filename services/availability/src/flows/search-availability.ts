/** Availability of many items (named, or matching filters) for one period, in one SQL statement. */
import { NotFound, type ItemType } from '@midas/contracts';
import { occupationsByFilter, occupationsOfItems, type SearchRow } from '../db/occupations';
import type { Period } from '../domain/period';
import { searchExplainer, type AnswerMs } from '../domain/search-reasons';
import type { FlowContext } from './context';

export const MAX_SEARCH_ITEMS = 500;

export type SearchQuery = { itemIds: string[] } | { type?: ItemType; location?: string };

/** Instants are epoch ms: the answer goes straight to the serializer, with no Date per reason. */
export interface SearchAnswer {
  items: (AnswerMs & { itemId: string })[];
  truncated: boolean;
}

export async function searchAvailability(
  ctx: FlowContext,
  query: SearchQuery,
  wanted: Period,
  viewer: { staff: boolean },
): Promise<SearchAnswer> {
  const now = ctx.now();
  let found: SearchRow[];
  let truncated = false;
  if ('itemIds' in query) {
    // PostgreSQL answers with lower-case ids; an upper-case spelling names the same item.
    const ids = [...new Set(query.itemIds.map((id) => id.toLowerCase()))];
    found = await occupationsOfItems(ctx.pool, ids, wanted, now);
    if (found.length !== ids.length || (!viewer.staff && found.some((f) => !f.rules.active))) {
      const visible = new Set(found.filter((f) => f.rules.active || viewer.staff).map((f) => f.itemId));
      const missing = ids.filter((id) => !visible.has(id));
      throw new NotFound('item', `No such items: ${missing.join(', ')}`);
    }
  } else {
    found = await occupationsByFilter(ctx.pool, query, wanted, now, MAX_SEARCH_ITEMS + 1);
    truncated = found.length > MAX_SEARCH_ITEMS;
    found = found.slice(0, MAX_SEARCH_ITEMS);
  }
  const explain = searchExplainer(wanted.start.getTime(), wanted.end.getTime(), now.getTime());
  const items = found.map((f) => {
    const answer = explain(f.rules, f.occupations);
    return { itemId: f.itemId, available: answer.available, reasons: answer.reasons };
  });
  return { items, truncated };
}
