/**
 * The `fetch` job of an imported feed: a conditional GET of the feed, its events read (recurrences
 * expanded) and each change reported to availability exactly as for outside events of a Google
 * calendar: `calendar.blackout_requested` for a new or moved period, `calendar.blackout_withdrawn`
 * once an event is cancelled, made free or gone from the feed, each with a revision that grows per
 * event. Availability makes them blackouts (reason `external`) or, over a booking, a
 * `calendar.conflict`. A failed fetch or an unreadable feed changes no blackout: it is recorded on
 * the feed (health, metrics, alert) and tried again with backoff.
 */
import type { Tx } from '@midas/db';
import { nextReport, reportedAfter } from '../domain/external-event';
import { nextFetchAt } from '../domain/feed-schedule';
import { FeedUnreadable, readFeedEvents, type FeedReading } from '../domain/imported-event';
import { feedCalendarId } from '../domain/feed-source';
import { claimFeed, readFeed, recordFailure, recordSuccess, type FeedRow } from '../db/ical-feeds';
import { readFeedReports, saveFeedReport } from '../db/ical-feed-events';
import { readItem } from '../db/items';
import { FeedFetchFailed, type FetchOutcome } from '../net/feed-fetcher';
import type { FlowContext } from './context';
import { publishOutsideReport } from './publish-outside-report';

export interface FeedFetchReport {
  outcome: FetchOutcome | 'skipped';
  events?: number;
  requested?: number;
  withdrawn?: number;
  error?: string;
}

/** The feed's address without its query (which often carries the channel's secret token). */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(unreadable url)';
  }
}

export async function fetchFeed(
  ctx: FlowContext,
  feedId: string,
  opts: { force?: boolean } = {},
): Promise<FeedFetchReport> {
  const started = ctx.now();
  const feed = await claimFeed(ctx.db, feedId, {
    now: started,
    leaseSeconds: ctx.feeds.leaseSeconds,
    force: opts.force === true,
  });
  // Deleted, being fetched by another worker, or not due (a job left from an earlier schedule).
  if (!feed) return { outcome: 'skipped' };
  const log = ctx.logger.child({ feedId, itemId: feed.itemId, url: redactedUrl(feed.url) });
  let reading: FeedReading | null = null;
  let etag = feed.etag;
  let lastModified = feed.lastModified;
  let outcome: FetchOutcome;
  try {
    const result = await ctx.feeds.fetcher.fetch(feed.url, {
      etag: feed.etag,
      lastModified: feed.lastModified,
    });
    if (result.kind === 'not_modified') {
      outcome = 'not_modified';
    } else {
      outcome = 'fetched';
      const item = await readItem(ctx.db, feed.itemId);
      reading = readFeedEvents(result.body, {
        itemZone: item?.timezone ?? 'UTC',
        now: ctx.now(),
        horizonDays: ctx.feeds.horizonDays,
        maxEvents: ctx.feeds.maxEvents,
      });
      if (reading.truncated) {
        log.warn(
          { kept: reading.events.length, left: reading.truncated },
          'feed has more events ahead than imported',
        );
      }
      etag = result.etag;
      lastModified = result.lastModified;
    }
  } catch (err) {
    if (!(err instanceof FeedFetchFailed) && !(err instanceof FeedUnreadable)) throw err;
    const kind = err instanceof FeedFetchFailed ? err.outcome : 'failed';
    return failed(ctx, feed, kind, err.message, log);
  }

  const now = ctx.now();
  const next = nextFetchAt(now, feed.intervalSeconds, 0);
  const counts = { requested: 0, withdrawn: 0 };
  const applied = await ctx.db.transaction(async (tx) => {
    // Deleted while it was being fetched: its events were withdrawn by the delete.
    if (!(await readFeed(tx, feedId, { lock: true }))) return false;
    if (reading) await reportFeedEvents(tx, feed, reading, now, counts);
    await recordSuccess(tx, feedId, {
      etag,
      lastModified,
      eventsSeen: reading ? reading.events.length : null,
      at: now,
      nextFetchAt: next,
    });
    return true;
  });
  if (!applied) return { outcome: 'skipped' };
  ctx.metrics?.feedFetches.inc({ outcome });
  ctx.metrics?.outsideReports.inc({ kind: 'requested' }, counts.requested);
  ctx.metrics?.outsideReports.inc({ kind: 'withdrawn' }, counts.withdrawn);
  await schedule(ctx, feedId, next, log);
  log.info({ outcome, events: reading?.events.length, ...counts }, 'feed fetched');
  return { outcome, events: reading?.events.length, ...counts };
}

async function failed(
  ctx: FlowContext,
  feed: FeedRow,
  outcome: 'failed' | 'refused',
  error: string,
  log: FlowContext['logger'],
): Promise<FeedFetchReport> {
  const at = ctx.now();
  let next: Date | undefined;
  const failures = await recordFailure(ctx.db, feed.id, {
    error,
    at,
    nextFetchAt: (n) => (next = nextFetchAt(at, feed.intervalSeconds, n)),
  });
  ctx.metrics?.feedFetches.inc({ outcome });
  log.warn({ outcome, error, failures }, 'feed fetch failed; blackouts kept as they were');
  if (failures !== undefined && next) await schedule(ctx, feed.id, next, log);
  return { outcome, error };
}

/** Queues the next fetch; if Redis is away, the repair job finds the feed overdue later. */
async function schedule(
  ctx: FlowContext,
  feedId: string,
  at: Date,
  log: FlowContext['logger'],
): Promise<void> {
  await ctx.feeds.queue
    .scheduleFetch(feedId, at, ctx.now())
    .catch((err: unknown) => log.warn({ err }, 'could not queue the next feed fetch; the repair job will'));
}

/**
 * What availability is told about the feed's events in this transaction: each event ahead
 * requested as a blackout (again only when it changed), and each one gone from the feed withdrawn.
 */
async function reportFeedEvents(
  tx: Tx,
  feed: FeedRow,
  reading: FeedReading,
  now: Date,
  counts: { requested: number; withdrawn: number },
): Promise<void> {
  const feedId = feed.id;
  const reports = await readFeedReports(tx, feedId);
  const calendarId = feedCalendarId(feedId);
  const seen = new Set<string>();
  const send = async (key: string, summary: string, decision: Parameters<typeof nextReport>[1]) => {
    const previous = reports.get(key);
    const report = nextReport(previous, decision);
    if (!report) return;
    await saveFeedReport(tx, feedId, key, reportedAfter(previous, report));
    const ref = { itemId: feed.itemId, calendarId, googleEventId: key };
    counts[await publishOutsideReport(tx, ref, report, `${feed.name}: ${summary}`)] += 1;
  };
  for (const event of reading.events) {
    seen.add(event.key);
    await send(event.key, event.summary, event.decision);
  }
  // Gone from the feed: a period still ahead is freed; one already over stays as history.
  for (const [key, previous] of reports) {
    if (seen.has(key) || !previous.period || previous.period.end.getTime() <= now.getTime()) continue;
    await send(key, '', { kind: 'none', reason: 'cancelled' });
  }
}
