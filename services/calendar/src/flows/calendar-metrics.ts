/**
 * Metrics of Google sync: writes by outcome, what outside events were reported as, Midas events
 * put back, and how long ago each linked calendar was last read (read from PostgreSQL at scrape);
 * of imported feeds: fetches by outcome and, per feed, events seen, last success and how long it
 * has been failing (read from PostgreSQL at scrape).
 */
import { Counter, Gauge, type Registry } from '@midas/observability';
import type { Pool } from '@midas/db';

export interface CalendarMetrics {
  writes: Counter<'outcome'>;
  outsideReports: Counter<'kind'>;
  putBack: Counter;
  feedFetches: Counter<'outcome'>;
}

interface FeedGaugeRow {
  feed: string;
  events: string;
  last_success: string | null;
  failing: string | null;
}

/** One query per scrape for the three per-feed gauges; a scrape while Postgres is away keeps the last values. */
function feedRowsOnce(pool: Pool): () => Promise<FeedGaugeRow[] | undefined> {
  let pending: Promise<FeedGaugeRow[] | undefined> | undefined;
  return () => {
    pending ??= pool
      .query<FeedGaugeRow>(
        `SELECT id::text AS feed, events_seen AS events, extract(epoch FROM last_success_at) AS last_success,
                extract(epoch FROM now() - failing_since) AS failing
           FROM calendar.ical_feeds`,
      )
      .then((r) => r.rows)
      .catch(() => undefined)
      .finally(() => setTimeout(() => (pending = undefined), 1000).unref());
    return pending;
  };
}

/** A counter by one label whose every value exists from the start, so rate() and alerts see a series before the first event. */
function outcomeCounter<L extends string>(
  registry: Registry,
  spec: { name: string; help: string; label: L; values: string[] },
): Counter<L> {
  const counter = new Counter({
    name: spec.name,
    help: spec.help,
    labelNames: [spec.label],
    registers: [registry],
  });
  for (const value of spec.values) counter.inc({ [spec.label]: value } as Partial<Record<L, string>>, 0);
  return counter;
}

export function createCalendarMetrics(registry: Registry, pool: Pool): CalendarMetrics {
  syncLagGauges(registry, pool);
  const writes = outcomeCounter(registry, {
    name: 'midas_calendar_writes_total',
    help: 'Google Calendar writes of bookings and blackouts by outcome: written, deleted, failed (after the last retry), retried',
    label: 'outcome',
    values: ['written', 'deleted', 'retried', 'failed'],
  });
  const outsideReports = outcomeCounter(registry, {
    name: 'midas_calendar_outside_reports_total',
    help: 'Outside events reported to availability: requested (blackout new or moved) or withdrawn',
    label: 'kind',
    values: ['requested', 'withdrawn'],
  });
  feedGauges(registry, pool);
  const feedFetches = outcomeCounter(registry, {
    name: 'midas_calendar_feed_fetches_total',
    help: 'Fetches of imported iCalendar feeds by outcome: fetched (read and applied), not_modified (304), failed, refused (SSRF guard)',
    label: 'outcome',
    values: ['fetched', 'not_modified', 'failed', 'refused'],
  });
  return {
    writes,
    outsideReports,
    feedFetches,
    putBack: new Counter({
      name: 'midas_calendar_put_back_total',
      help: 'Midas events found edited or deleted in Google and written back',
      registers: [registry],
    }),
  };
}

/** How long since each linked Google calendar, and the least recently read one, was read. */
function syncLagGauges(registry: Registry, pool: Pool): void {
  new Gauge({
    name: 'midas_calendar_sync_lag_seconds',
    help: 'Seconds since each linked Google calendar was last read (pushes and the scheduled read)',
    labelNames: ['calendar'] as const,
    registers: [registry],
    async collect() {
      // A scrape while Postgres is away keeps the last values rather than failing /metrics.
      const res = await pool
        .query<{ calendar: string; lag: string }>(
          `SELECT calendar_id AS calendar, extract(epoch FROM now() - min(updated_at)) AS lag
             FROM calendar.links GROUP BY calendar_id`,
        )
        .catch(() => undefined);
      if (!res) return;
      this.reset();
      for (const r of res.rows) this.set({ calendar: r.calendar }, Math.max(0, Number(r.lag)));
    },
  });
  new Gauge({
    name: 'midas_calendar_max_sync_lag_seconds',
    help: 'Seconds since the least recently read linked Google calendar was read (0 with none linked)',
    registers: [registry],
    async collect() {
      const res = await pool
        .query<{ lag: string | null }>(
          'SELECT extract(epoch FROM now() - min(updated_at)) AS lag FROM calendar.links',
        )
        .catch(() => undefined);
      if (res) this.set(Math.max(0, Number(res.rows[0]?.lag ?? 0)));
    },
  });
}

/** Each imported iCalendar feed: events seen, last success, how long it has been failing. */
function feedGauges(registry: Registry, pool: Pool): void {
  const feedRows = feedRowsOnce(pool);
  /** One series per feed, read from the shared feed rows; `valueOf` null leaves the feed out. */
  const feedGauge = (name: string, help: string, valueOf: (r: FeedGaugeRow) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['feed'] as const,
      registers: [registry],
      async collect() {
        const rows = await feedRows();
        if (!rows) return;
        this.reset();
        for (const r of rows) {
          const value = valueOf(r);
          if (value !== null) this.set({ feed: r.feed }, value);
        }
      },
    });
  feedGauge(
    'midas_calendar_feed_events_seen',
    'Events ahead read from each imported iCalendar feed at its last successful fetch',
    (r) => Number(r.events),
  );
  feedGauge(
    'midas_calendar_feed_last_success_timestamp_seconds',
    'When each imported iCalendar feed was last fetched successfully (Unix seconds; absent before its first success)',
    (r) => (r.last_success === null ? null : Number(r.last_success)),
  );
  feedGauge(
    'midas_calendar_feed_failing_seconds',
    'Seconds each imported iCalendar feed has been failing without a success in between (0 when healthy)',
    (r) => Math.max(0, Number(r.failing ?? 0)),
  );
  new Gauge({
    name: 'midas_calendar_feed_max_failing_seconds',
    help: 'Seconds the longest-failing imported iCalendar feed has been failing (0 when every feed is healthy or none is imported)',
    registers: [registry],
    async collect() {
      const rows = await feedRows();
      if (!rows) return;
      this.set(Math.max(0, ...rows.map((r) => Number(r.failing ?? 0))));
    },
  });
}
