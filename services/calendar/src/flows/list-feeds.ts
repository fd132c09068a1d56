/** A page of an item's imported feeds with their fetch state (404 for an item nobody knows). */
import { listItemFeeds, type FeedRow } from '../db/ical-feeds';
import type { FlowContext } from './context';
import { knownItem } from './known-item';

export async function listFeeds(
  ctx: FlowContext,
  itemId: string,
  q: { afterId?: string; limit: number },
): Promise<{ items: FeedRow[]; nextId: string | null }> {
  const page = await listItemFeeds(ctx.db, itemId, q);
  if (!page.items.length && !q.afterId) await knownItem(ctx, itemId);
  return page;
}
