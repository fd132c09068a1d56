/** Refund rows as the API shows them (contracts' refundView). */
import type { RefundView } from '@midas/contracts';
import type { PaymentRow } from '../db/schema';

export function refundView(row: PaymentRow, lastFailure?: string): RefundView {
  return {
    id: row.id,
    bookingId: row.bookingId,
    refundOf: row.refundOf ?? undefined,
    provider: row.provider,
    providerRef: row.providerRef ?? undefined,
    amount: row.amount,
    currency: row.currency.trim(),
    status: row.status as RefundView['status'],
    purpose: row.purpose,
    reason: row.reason ?? undefined,
    failedAttempts: row.refundFailures,
    lastFailure,
    createdAt: row.createdAt.toISOString(),
    settledAt: row.settledAt?.toISOString(),
  };
}
