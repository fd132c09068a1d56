/**
 * The `payments` section of `npm run reconcile` (tools/stack/src/reconcile.ts): connects to the
 * database and the configured providers, compares the window's records, and returns the report's
 * lines. It reads only.
 */
import type { Config } from '@midas/config';
import { createDb, createPool } from '@midas/db';
import { countByKind, describeDifference, type DifferenceKind } from './domain/reconciliation';
import { reconcilePayments } from './flows/reconcile-payments';
import { recordSourcesFor } from './payments/record-sources';

export interface SectionReport {
  /** One line per difference, then nothing else: the caller prints them. */
  differences: string[];
  counts: Record<DifferenceKind, number>;
  /** What was compared, in one line. */
  summary: string;
}

export async function reconcilePaymentsSection(cfg: Config, opts: { since: Date }): Promise<SectionReport> {
  const sources = recordSourcesFor(cfg);
  const pool = createPool(cfg.DATABASE_URL, { max: 2, application_name: 'midas-reconcile' });
  try {
    const result = await reconcilePayments(createDb(pool, {}), sources, opts.since);
    const checked = result.checked.length
      ? result.checked
          .map(
            (c) =>
              `${c.provider}: ${c.ledger} ledger records, ${c.atProvider} provider records${c.listed ? '' : ' (read back one by one: the API cannot list)'}`,
          )
          .join('; ')
      : 'no provider configured (local payments): nothing to compare';
    return {
      differences: result.differences.map(describeDifference),
      counts: countByKind(result.differences),
      summary: `since ${opts.since.toISOString()}: ${checked}`,
    };
  } finally {
    await pool.end();
  }
}
