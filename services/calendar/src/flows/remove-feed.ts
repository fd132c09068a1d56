/**
 * Removes an imported feed: every event of it that still blocks the item is withdrawn
 * (`calendar.blackout_withdrawn`, so availability frees the time), then the feed and what calendar
 * knew of its events go. Jobs left for it find no feed and do nothing.
 */
import { calendarEvents, NotFound } from '@midas/contracts';
import { enqueueEvent } from '@midas/messaging';
import { feedCalendarId } from '../domain/feed-source';
import { deleteFeed, readFeed } from '../db/ical-feeds';
import { readFeedReports } from '../db/ical-feed-events';
import type { FlowContext } from './context';

export async function removeFeed(ctx: FlowContext, itemId: string, feedId: string): Promise<number> {
  const withdrawn = await ctx.db.transaction(async (tx) => {
    const feed = await readFeed(tx, feedId, { lock: true });
    if (!feed || feed.itemId !== itemId) throw new NotFound('Feed');
    const reports = await readFeedReports(tx, feedId);
    let n = 0;
    for (const [key, state] of reports) {
      if (!state.period) continue;
      const data = calendarEvents['calendar.blackout_withdrawn'].parse({
        itemId,
        calendarId: feedCalendarId(feedId),
        googleEventId: key,
        revision: state.revision + 1,
      });
      await enqueueEvent(tx, 'calendar', { type: 'calendar.blackout_withdrawn', data });
      n += 1;
    }
    await deleteFeed(tx, itemId, feedId);
    return n;
  });
  ctx.logger.info({ feedId, itemId, withdrawn }, 'feed removed');
  return withdrawn;
}
