/**
 * Payment reconciliation: for each configured provider, what it recorded in the window (listed
 * where its API allows) and what it says of each of our records it did not list, compared with
 * the ledger (domain/reconciliation.ts). It only reads: every difference is reported, none is
 * acted on.
 */
import type { Db } from '@midas/db';
import { ledgerRecords } from '../db/reconciliation';
import { reconcile, type Difference, type LedgerRecord, type ProviderRecord } from '../domain/reconciliation';
import type { ProviderRecordSource } from '../payments/provider-records';

export interface PaymentReconciliation {
  since: Date;
  /** Per provider: records compared on each side. */
  checked: { provider: string; ledger: number; atProvider: number; listed: boolean }[];
  differences: Difference[];
}

export async function reconcilePayments(
  db: Db,
  sources: readonly ProviderRecordSource[],
  since: Date,
): Promise<PaymentReconciliation> {
  const result: PaymentReconciliation = { since, checked: [], differences: [] };
  for (const source of sources) {
    const listed = source.list ? await source.list(since) : [];
    const ledger = await ledgerRecords(db, {
      provider: source.provider,
      since,
      alsoRefs: listed.map((r) => r.providerRef),
      alsoIds: listed.flatMap((r) => (r.ourId ? [r.ourId] : [])),
    });
    const known = new Set(listed.map((r) => r.providerRef));
    const lookedUp: ProviderRecord[] = [];
    for (const record of ledger) {
      // One the ledger has no provider id for is here because the provider listed it.
      if (record.providerRef === null || known.has(record.providerRef)) continue;
      const found = await source.lookup({ ...record, providerRef: record.providerRef });
      if (found) lookedUp.push(found);
    }
    const atProvider = [...listed, ...lookedUp];
    result.checked.push({
      provider: source.provider,
      ledger: ledger.length,
      atProvider: atProvider.length,
      listed: Boolean(source.list),
    });
    result.differences.push(...reconcile(ledger satisfies LedgerRecord[], atProvider));
  }
  return result;
}
