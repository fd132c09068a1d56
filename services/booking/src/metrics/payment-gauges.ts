/**
 * `midas_payment_outcomes{provider,outcome}`: payment attempts that failed and payments that
 * succeeded so far, per provider; `midas_refunds_awaiting_repair`: refunds the provider has not
 * settled that the repair sweep keeps retrying; `midas_refunds_dead_lettered{provider}`: refunds
 * the provider failed REFUND_MAX_ATTEMPTS times, waiting for staff. All read from Postgres at
 * scrape time, so every replica reports the same figures.
 */
import type { Pool } from '@midas/db';
import { scrapedGauge, type Metrics } from '@midas/observability';
import { countOf, countsBy } from './pg-counts';

export function registerPaymentGauges(metrics: Metrics, pool: Pool): void {
  scrapedGauge(metrics, {
    name: 'midas_payment_outcomes',
    help: 'Payment events so far by provider: failed (an attempt or the payment) and succeeded; only grows, so its delta over a window is what happened in it',
    labelNames: ['provider', 'outcome'],
    read: async () => {
      // Both outcomes are reported for every provider in use, zero included, so an alert on
      // failures has a series before the first one.
      const res = await pool.query<{ provider: string; failed: string; succeeded: string }>(
        `SELECT p.provider,
                count(e.id) FILTER (WHERE e.status IN ('failed', 'attempt_failed')) AS failed,
                count(e.id) FILTER (WHERE e.status = 'succeeded') AS succeeded
         FROM booking.payments p LEFT JOIN booking.payment_events e ON e.payment_id = p.id
         WHERE p.kind <> 'refund'
         GROUP BY p.provider`,
      );
      return res.rows.flatMap((row) => [
        { labels: { provider: row.provider, outcome: 'failed' }, value: Number(row.failed) },
        { labels: { provider: row.provider, outcome: 'succeeded' }, value: Number(row.succeeded) },
      ]);
    },
  });
  scrapedGauge(metrics, {
    name: 'midas_refunds_awaiting_repair',
    help: 'Refunds still pending after at least one visit of the refund repair sweep',
    read: () =>
      countOf(
        pool,
        `SELECT count(*) AS n FROM booking.payments
         WHERE kind = 'refund' AND status = 'pending' AND repair_attempts > 0`,
      ),
  });
  scrapedGauge(metrics, {
    name: 'midas_refunds_dead_lettered',
    help: 'Refunds the provider failed REFUND_MAX_ATTEMPTS times, waiting for staff to retry or resolve them (GET /v1/payments/refunds?status=dead_lettered)',
    labelNames: ['provider'],
    // Every provider that has refunds gets a series, zero included, so the alert's expression
    // has data before the first dead letter.
    read: () =>
      countsBy(
        pool,
        `SELECT provider, count(*) FILTER (WHERE status = 'dead_lettered') AS n
         FROM booking.payments WHERE kind = 'refund' GROUP BY provider`,
        ['provider'],
      ),
  });
}
