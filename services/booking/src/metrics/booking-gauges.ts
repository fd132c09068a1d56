/**
 * `midas_bookings{status,type}`: how many bookings are in each status now, and
 * `midas_bookings_unassigned_near_start`: confirmed bookings still without a concierge within the
 * alert window of their start; both read from Postgres at scrape time.
 */
import type { Pool } from '@midas/db';
import { scrapedGauge, type Metrics } from '@midas/observability';
import { countOf, countsBy } from './pg-counts';

export function registerBookingGauges(metrics: Metrics, pool: Pool, alertHours: number): void {
  scrapedGauge(metrics, {
    name: 'midas_bookings',
    help: 'Bookings by current status and item type',
    labelNames: ['status', 'type'],
    read: () =>
      countsBy(
        pool,
        'SELECT status, item_type AS type, count(*) AS n FROM booking.bookings GROUP BY status, item_type',
        ['status', 'type'],
      ),
  });
  scrapedGauge(metrics, {
    name: 'midas_bookings_unassigned_near_start',
    help: 'Confirmed bookings without a concierge that start within UNASSIGNED_ALERT_HOURS (or have started)',
    read: () =>
      countOf(
        pool,
        `SELECT count(*) AS n FROM booking.bookings
         WHERE status = 'confirmed' AND start_at <= now() + make_interval(secs => $1) AND end_at > now()`,
        [alertHours * 3600],
      ),
  });
}
