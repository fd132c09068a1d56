/** The ledger's side of payment reconciliation: payments and refunds that reached a provider, created in the window or named by the provider (by its id or ours). */
import { and, eq, gte, inArray, isNotNull, isNull, ne, or } from 'drizzle-orm';
import type { Db } from '@midas/db';
import type { LedgerRecord } from '../domain/reconciliation';
import { payments, type PaymentRow } from './schema';

function toLedgerRecord(row: PaymentRow): LedgerRecord {
  return {
    id: row.id,
    bookingId: row.bookingId,
    kind: row.kind,
    provider: row.provider,
    providerRef: row.providerRef,
    // A captured deposit moved its captured part, not what was authorised.
    amount:
      row.kind === 'deposit' && row.status === 'succeeded' ? (row.capturedAmount ?? row.amount) : row.amount,
    currency: row.currency.trim(),
    status: row.status,
  };
}

/**
 * `alsoRefs`: provider ids the provider listed; `alsoIds`: our ids the provider's records name,
 * which finds a record whose provider call succeeded but whose answer was never stored.
 */
export async function ledgerRecords(
  db: Db,
  opts: { provider: string; since: Date; alsoRefs: readonly string[]; alsoIds?: readonly string[] },
): Promise<LedgerRecord[]> {
  const referenced = and(
    isNotNull(payments.providerRef),
    opts.alsoRefs.length
      ? or(gte(payments.createdAt, opts.since), inArray(payments.providerRef, [...opts.alsoRefs]))
      : gte(payments.createdAt, opts.since),
  );
  const ids = (opts.alsoIds ?? []).filter((id) => UUID.test(id));
  const rows = await db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.provider, opts.provider),
        ne(payments.provider, 'local'),
        ids.length
          ? or(referenced, and(isNull(payments.providerRef), inArray(payments.id, ids)))
          : referenced,
      ),
    );
  return rows.map(toLedgerRecord);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
