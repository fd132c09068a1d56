/** SQL for imported iCalendar feeds: registration, the fetch lease, fetch outcomes and health. */
import { sql, type Tx } from '@midas/db';
import { firstRow } from './first-row';
import { toDate, toDateOrNull } from './values';

export interface FeedRow {
  id: string;
  itemId: string;
  name: string;
  url: string;
  intervalSeconds: number;
  etag: string | null;
  lastModified: string | null;
  nextFetchAt: Date;
  lastFetchAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  failingSince: Date | null;
  consecutiveFailures: number;
  eventsSeen: number;
  /** Events of the feed currently asked to be blocked. */
  blocking: number;
  createdAt: Date;
}

const COLUMNS = sql`f.id, f.item_id, f.name, f.url, f.interval_seconds, f.etag, f.last_modified, f.next_fetch_at,
  f.last_fetch_at, f.last_success_at, f.last_error, f.last_error_at, f.failing_since, f.consecutive_failures,
  f.events_seen, f.created_at,
  (SELECT count(*) FROM calendar.ical_feed_events e WHERE e.feed_id = f.id AND e.start_at IS NOT NULL) AS blocking`;

function rowOf(r: Record<string, unknown>): FeedRow {
  return {
    id: r.id as string,
    itemId: r.item_id as string,
    name: r.name as string,
    url: r.url as string,
    intervalSeconds: Number(r.interval_seconds),
    etag: (r.etag as string | null) ?? null,
    lastModified: (r.last_modified as string | null) ?? null,
    nextFetchAt: toDate(r.next_fetch_at),
    lastFetchAt: toDateOrNull(r.last_fetch_at),
    lastSuccessAt: toDateOrNull(r.last_success_at),
    lastError: (r.last_error as string | null) ?? null,
    lastErrorAt: toDateOrNull(r.last_error_at),
    failingSince: toDateOrNull(r.failing_since),
    consecutiveFailures: Number(r.consecutive_failures),
    eventsSeen: Number(r.events_seen),
    blocking: Number(r.blocking ?? 0),
    createdAt: toDate(r.created_at),
  };
}

/** Registers a feed, due at once; undefined when the item already imports that URL. */
export async function insertFeed(
  tx: Tx,
  feed: { id: string; itemId: string; name: string; url: string; intervalSeconds: number },
): Promise<FeedRow | undefined> {
  const res = await tx.execute(
    sql`INSERT INTO calendar.ical_feeds (id, item_id, name, url, interval_seconds)
        VALUES (${feed.id}, ${feed.itemId}, ${feed.name}, ${feed.url}, ${feed.intervalSeconds})
        ON CONFLICT (item_id, url) DO NOTHING RETURNING id`,
  );
  if (!res.rowCount) return undefined;
  return readFeed(tx, feed.id);
}

export async function readFeed(
  tx: Tx,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<FeedRow | undefined> {
  return firstRow(
    tx,
    sql`SELECT ${COLUMNS} FROM calendar.ical_feeds f WHERE f.id = ${id} ${opts.lock ? sql`FOR UPDATE OF f` : sql``}`,
    rowOf,
  );
}

/** A page of an item's feeds in id order. */
export async function listItemFeeds(
  tx: Tx,
  itemId: string,
  q: { afterId?: string; limit: number },
): Promise<{ items: FeedRow[]; nextId: string | null }> {
  const res = await tx.execute(
    sql`SELECT ${COLUMNS} FROM calendar.ical_feeds f WHERE f.item_id = ${itemId}
        ${q.afterId ? sql`AND f.id > ${q.afterId}` : sql``} ORDER BY f.id LIMIT ${q.limit + 1}`,
  );
  const rows = res.rows.map(rowOf);
  const more = rows.length > q.limit;
  const items = more ? rows.slice(0, q.limit) : rows;
  return { items, nextId: more ? items[items.length - 1]!.id : null };
}

/** Feeds for the status page: failing ones first, then by name; optionally one item's. */
export async function listFeedHealth(
  tx: Tx,
  q: { itemId?: string; limit: number },
): Promise<{ total: number; failing: number; items: FeedRow[] }> {
  const where = q.itemId ? sql`WHERE f.item_id = ${q.itemId}` : sql``;
  const [counts, page] = await Promise.all([
    tx.execute(
      sql`SELECT count(*) AS total, count(*) FILTER (WHERE f.failing_since IS NOT NULL) AS failing
          FROM calendar.ical_feeds f ${where}`,
    ),
    tx.execute(
      sql`SELECT ${COLUMNS} FROM calendar.ical_feeds f ${where}
          ORDER BY (f.failing_since IS NULL), f.failing_since, f.name, f.id LIMIT ${q.limit}`,
    ),
  ]);
  return {
    total: Number(counts.rows[0]?.total ?? 0),
    failing: Number(counts.rows[0]?.failing ?? 0),
    items: page.rows.map(rowOf),
  };
}

/**
 * Takes the right to fetch a feed for `leaseSeconds`: refused (undefined) while another fetch holds
 * it, and, unless `force`, before the feed is due. A crashed fetch's lease simply lapses.
 */
export async function claimFeed(
  tx: Tx,
  id: string,
  opts: { now: Date; leaseSeconds: number; force: boolean },
): Promise<FeedRow | undefined> {
  const now = opts.now.toISOString();
  const res = await tx.execute(
    sql`UPDATE calendar.ical_feeds SET lease_until = ${now}::timestamptz + make_interval(secs => ${opts.leaseSeconds}),
          last_fetch_at = ${now}
        WHERE id = ${id} AND (lease_until IS NULL OR lease_until < ${now}::timestamptz)
          ${opts.force ? sql`` : sql`AND next_fetch_at <= ${now}::timestamptz + interval '1 second'`}
        RETURNING id`,
  );
  if (!res.rowCount) return undefined;
  return readFeed(tx, id);
}

export async function recordSuccess(
  tx: Tx,
  id: string,
  s: {
    etag: string | null;
    lastModified: string | null;
    eventsSeen: number | null;
    at: Date;
    nextFetchAt: Date;
  },
): Promise<void> {
  await tx.execute(
    sql`UPDATE calendar.ical_feeds SET etag = ${s.etag}, last_modified = ${s.lastModified},
          events_seen = COALESCE(${s.eventsSeen}::int, events_seen), last_success_at = ${s.at.toISOString()},
          failing_since = NULL, consecutive_failures = 0, next_fetch_at = ${s.nextFetchAt.toISOString()},
          lease_until = NULL, updated_at = now()
        WHERE id = ${id}`,
  );
}

/** Records a failed fetch; returns the number of failures in a row, now. */
export async function recordFailure(
  tx: Tx,
  id: string,
  f: { error: string; at: Date; nextFetchAt: (failures: number) => Date },
): Promise<number | undefined> {
  const res = await tx.execute(
    sql`UPDATE calendar.ical_feeds SET last_error = ${f.error.slice(0, 1000)}, last_error_at = ${f.at.toISOString()},
          failing_since = COALESCE(failing_since, ${f.at.toISOString()}), consecutive_failures = consecutive_failures + 1,
          lease_until = NULL, updated_at = now()
        WHERE id = ${id} RETURNING consecutive_failures`,
  );
  const failures = res.rows[0] ? Number(res.rows[0].consecutive_failures) : undefined;
  if (failures === undefined) return undefined;
  await tx.execute(
    sql`UPDATE calendar.ical_feeds SET next_fetch_at = ${f.nextFetchAt(failures).toISOString()} WHERE id = ${id}`,
  );
  return failures;
}

export async function deleteFeed(tx: Tx, itemId: string, id: string): Promise<boolean> {
  const res = await tx.execute(
    sql`DELETE FROM calendar.ical_feeds WHERE id = ${id} AND item_id = ${itemId} RETURNING id`,
  );
  return (res.rowCount ?? 0) > 0;
}

/** Feeds whose fetch is overdue by more than `graceSeconds` and not being fetched: their jobs were lost. */
export async function listOverdueFeeds(
  tx: Tx,
  opts: { now: Date; graceSeconds: number; limit: number },
): Promise<{ id: string; nextFetchAt: Date }[]> {
  const now = opts.now.toISOString();
  const res = await tx.execute(
    sql`SELECT id, next_fetch_at FROM calendar.ical_feeds
        WHERE next_fetch_at < ${now}::timestamptz - make_interval(secs => ${opts.graceSeconds})
          AND (lease_until IS NULL OR lease_until < ${now}::timestamptz)
        ORDER BY next_fetch_at LIMIT ${opts.limit}`,
  );
  return res.rows.map((r) => ({ id: r.id as string, nextFetchAt: toDate(r.next_fetch_at) }));
}
