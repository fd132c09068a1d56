/**
 * `midas_reconciliation_differences{section,kind}`: differences the last reconciliation run of
 * this process found, by kind (zero included once it ran), and
 * `midas_reconciliation_last_run_timestamp_seconds{section}`: when that run finished. Set by the
 * daily job (jobs/reconciliation-worker.ts). Until this process ran it, every section's kinds
 * read 0 and the last run 0, so the series the MidasReconciliationDifferences alert selects exist
 * from the start (a newer run on another replica wins over this one's, see the alert).
 */
import { Gauge, type Metrics } from '@midas/observability';
import { DIFFERENCE_KINDS, type DifferenceKind } from '../domain/reconciliation';

/** The sections a reconciliation run reports on (`npm run reconcile -- <section>`). */
export const RECONCILIATION_SECTIONS = ['payments'] as const;

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
    for (const section of RECONCILIATION_SECTIONS) {
      for (const kind of DIFFERENCE_KINDS) this.differences.set({ section, kind }, 0);
      this.lastRun.set({ section }, 0);
    }
  }

  record(section: string, counts: Record<DifferenceKind, number>, at: Date): void {
    for (const [kind, n] of Object.entries(counts)) this.differences.set({ section, kind }, n);
    this.lastRun.set({ section }, Math.floor(at.getTime() / 1000));
  }
}
