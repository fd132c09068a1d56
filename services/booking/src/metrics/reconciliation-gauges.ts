/**
 * `midas_reconciliation_differences{section,kind}`: differences the last reconciliation run of
 * this process found, by kind (zero included once it ran), and
 * `midas_reconciliation_last_run_timestamp_seconds{section}`: when that run finished. Set by the
 * daily job (jobs/reconciliation-worker.ts); a replica that has not run it reports nothing.
 */
import { Gauge, type Metrics } from '@midas/observability';
import type { DifferenceKind } from '../domain/reconciliation';

export class ReconciliationMetrics {
  private readonly differences: Gauge<'section' | 'kind'>;
  private readonly lastRun: Gauge<'section'>;

  constructor(metrics: Metrics) {
    this.differences = new Gauge({
      name: 'midas_reconciliation_differences',
      help: "Differences between the providers' records and the ledger found by the last reconciliation run, by kind",
      labelNames: ['section', 'kind'] as const,
      registers: [metrics.registry],
    });
    this.lastRun = new Gauge({
      name: 'midas_reconciliation_last_run_timestamp_seconds',
      help: 'When the last reconciliation run of this process finished (Unix seconds)',
      labelNames: ['section'] as const,
      registers: [metrics.registry],
    });
  }

  record(section: string, counts: Record<DifferenceKind, number>, at: Date): void {
    for (const [kind, n] of Object.entries(counts)) this.differences.set({ section, kind }, n);
    this.lastRun.set({ section }, Math.floor(at.getTime() / 1000));
  }
}
