/**
 * Metrics of Google sync: writes by outcome, what outside events were reported as, Midas events
 * put back, and how long ago each linked calendar was last read (read from PostgreSQL at scrape).
 */
import { Counter, Gauge, type Registry } from '@midas/observability';
import type { Pool } from '@midas/db';

export interface CalendarMetrics {
  writes: Counter<'outcome'>;
  outsideReports: Counter<'kind'>;
  putBack: Counter;
}

export function createCalendarMetrics(registry: Registry, pool: Pool): CalendarMetrics {
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
  const writes = new Counter({
    name: 'midas_calendar_writes_total',
    help: 'Google Calendar writes of bookings and blackouts by outcome: written, deleted, failed (after the last retry), retried',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const outsideReports = new Counter({
    name: 'midas_calendar_outside_reports_total',
    help: 'Outside events reported to availability: requested (blackout new or moved) or withdrawn',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  // Every outcome exists from the start, so rate() and alerts see a series before the first event.
  for (const outcome of ['written', 'deleted', 'retried', 'failed']) writes.inc({ outcome }, 0);
  for (const kind of ['requested', 'withdrawn']) outsideReports.inc({ kind }, 0);
  return {
    writes,
    outsideReports,
    putBack: new Counter({
      name: 'midas_calendar_put_back_total',
      help: 'Midas events found edited or deleted in Google and written back',
      registers: [registry],
    }),
  };
}
