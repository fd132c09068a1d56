/** An admin's "fetch now": the feed is fetched at once, whatever its schedule or backoff. */
import { NotFound } from '@midas/contracts';
import { readFeed } from '../db/ical-feeds';
import type { FlowContext } from './context';

export async function queueFeedFetch(ctx: FlowContext, itemId: string, feedId: string): Promise<void> {
  const feed = await readFeed(ctx.db, feedId);
  if (!feed || feed.itemId !== itemId) throw new NotFound('Feed');
  await ctx.feeds.queue.fetchNow(feedId);
}
