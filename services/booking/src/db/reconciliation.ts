/** The ledger's side of payment reconciliation: payments and refunds that reached a provider, created in the window or named by the provider. */
import { and, eq, gte, inArray, isNotNull, ne, or } from 'drizzle-orm';
import type { Db } from '@midas/db';
import type { LedgerRecord } from '../domain/reconciliation';
import { payments, type PaymentRow } from './schema';

function toLedgerRecord(row: PaymentRow): LedgerRecord {
  return {
    id: row.id,
    bookingId: row.bookingId,
    kind: row.kind,
    provider: row.provider,
    providerRef: row.providerRef!,
    // A captured deposit moved its captured part, not what was authorised.
    amount:
      row.kind === 'deposit' && row.status === 'succeeded' ? (row.capturedAmount ?? row.amount) : row.amount,
    currency: row.currency.trim(),
    status: row.status,
  };
}

export async function ledgerRecords(
  db: Db,
  opts: { provider: string; since: Date; alsoRefs: readonly string[] },
): Promise<LedgerRecord[]> {
  const rows = await db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.provider, opts.provider),
        ne(payments.provider, 'local'),
        isNotNull(payments.providerRef),
        opts.alsoRefs.length
          ? or(gte(payments.createdAt, opts.since), inArray(payments.providerRef, [...opts.alsoRefs]))
          : gte(payments.createdAt, opts.since),
      ),
    );
  return rows.map(toLedgerRecord);
}
