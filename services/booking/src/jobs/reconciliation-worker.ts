/**
 * The `reconciliation` queue: the daily payment reconciliation (RECONCILE_CRON, over
 * RECONCILE_WINDOW). It logs the report (one line per difference, then the counts) and exports the
 * counts as metrics; it changes nothing, like `npm run reconcile -- payments`.
 */
import type { Jobs } from '@midas/jobs';
import type { Logger } from '@midas/observability';
import { countByKind, describeDifference } from '../domain/reconciliation';
import type { FlowContext } from '../flows/context';
import { reconcilePayments } from '../flows/reconcile-payments';
import type { ReconciliationMetrics } from '../metrics/reconciliation-gauges';
import type { ProviderRecordSource } from '../payments/provider-records';
import { PAYMENTS_RECONCILIATION_JOB, RECONCILIATION_QUEUE } from './booking-jobs';

export function startReconciliationWorker(
  jobs: Jobs,
  deps: Pick<FlowContext, 'db' | 'now'>,
  opts: {
    sources: readonly ProviderRecordSource[];
    windowSeconds: number;
    metrics: ReconciliationMetrics;
    logger: Logger;
  },
): void {
  jobs.worker<Record<string, never>>(
    RECONCILIATION_QUEUE,
    async (job) => {
      if (job.name !== PAYMENTS_RECONCILIATION_JOB)
        throw new Error(`unknown reconciliation job "${job.name}"`);
      const since = new Date(deps.now().getTime() - opts.windowSeconds * 1000);
      const result = await reconcilePayments(deps.db, opts.sources, since);
      const counts = countByKind(result.differences);
      for (const d of result.differences) {
        opts.logger.warn(
          {
            section: 'payments',
            kind: d.kind,
            provider: d.provider,
            providerRef: d.providerRef,
            paymentId: d.paymentId,
            bookingId: d.bookingId,
            ledger: d.ledger,
            atProvider: d.atProvider,
          },
          `reconciliation: ${describeDifference(d)}`,
        );
      }
      opts.metrics.record('payments', counts, deps.now());
      opts.logger.info(
        {
          section: 'payments',
          since,
          checked: result.checked,
          differences: result.differences.length,
          counts,
        },
        result.differences.length
          ? 'payment reconciliation found differences'
          : 'payment reconciliation found no difference',
      );
    },
    { concurrency: 1 },
  );
}
