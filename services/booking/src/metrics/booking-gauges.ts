/** `midas_bookings{status,type}`: how many bookings are in each status now, read from Postgres at scrape time. */
import type { Pool } from '@midas/db';
import { Gauge, type Metrics } from '@midas/observability';

export function registerBookingGauges(metrics: Metrics, pool: Pool): void {
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
}
