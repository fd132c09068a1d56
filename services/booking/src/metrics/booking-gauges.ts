/**
 * `midas_bookings{status,type}`: how many bookings are in each status now, and
 * `midas_bookings_unassigned_near_start`: confirmed bookings still without a concierge within the
 * alert window of their start; both read from Postgres at scrape time.
 */
import type { Pool } from '@midas/db';
import { Gauge, type Metrics } from '@midas/observability';

export function registerBookingGauges(metrics: Metrics, pool: Pool, alertHours: number): void {
  new Gauge({
    name: 'midas_bookings',
    help: 'Bookings by current status and item type',
    labelNames: ['status', 'type'] as const,
    registers: [metrics.registry],
    async collect() {
      // A scrape while Postgres is away keeps the last values rather than failing /metrics.
      const res = await pool
        .query<{ status: string; type: string; n: string }>(
          'SELECT status, item_type AS type, count(*) AS n FROM booking.bookings GROUP BY status, item_type',
        )
        .catch(() => undefined);
      if (!res) return;
      this.reset();
      for (const row of res.rows) this.set({ status: row.status, type: row.type }, Number(row.n));
    },
  });
  new Gauge({
    name: 'midas_bookings_unassigned_near_start',
    help: 'Confirmed bookings without a concierge that start within UNASSIGNED_ALERT_HOURS (or have started)',
    registers: [metrics.registry],
    async collect() {
      const res = await pool
        .query<{ n: string }>(
          `SELECT count(*) AS n FROM booking.bookings
           WHERE status = 'confirmed' AND start_at <= now() + make_interval(secs => $1) AND end_at > now()`,
          [alertHours * 3600],
        )
        .catch(() => undefined);
      if (res) this.set(Number(res.rows[0]?.n ?? 0));
    },
  });
}
