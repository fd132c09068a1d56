/**
 * The periodic `repair` job: PostgreSQL knows when every feed is due, so a feed overdue by more
 * than a grace period (its delayed job lost with Redis, or never queued because Redis was away)
 * gets its fetch queued again. The job id is derived from the due time, so a job still waiting is
 * not doubled.
 */
import { listOverdueFeeds } from '../db/ical-feeds';
import type { FlowContext } from './context';

const GRACE_SECONDS = 60;
const BATCH = 500;

export async function repairFeedSchedule(ctx: FlowContext): Promise<number> {
  const now = ctx.now();
  const overdue = await listOverdueFeeds(ctx.db, { now, graceSeconds: GRACE_SECONDS, limit: BATCH });
  for (const feed of overdue) await ctx.feeds.queue.scheduleFetch(feed.id, feed.nextFetchAt, now);
  if (overdue.length) ctx.logger.info({ feeds: overdue.length }, 'overdue feed fetches queued again');
  return overdue.length;
}
