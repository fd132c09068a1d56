/**
 * The provider's side of payment reconciliation. A source lists what the provider recorded in a
 * window where its API allows (Stripe: PaymentIntents and refunds) and looks records up one by one
 * otherwise (PayPal has no list of orders or refunds in its API: each of our records is read back
 * through the payment port, so only the ledger-to-provider direction is checked there).
 */
import type { LedgerRecord, ProviderRecord, ReconciledStatus } from '../domain/reconciliation';
import type { PaymentProvider, PaymentState } from './payment-provider';

export interface ProviderRecordSource {
  readonly provider: string;
  /** What the provider recorded since then, when its API can list it. */
  list?(since: Date): Promise<ProviderRecord[]>;
  /** The provider's record behind one of ours; undefined when the provider has none. */
  lookup(record: LedgerRecord & { providerRef: string }): Promise<ProviderRecord | undefined>;
}

const PAYMENT_STATUS: Record<PaymentState['status'], ReconciledStatus> = {
  pending: 'pending',
  processing: 'pending',
  authorized: 'authorized',
  succeeded: 'succeeded',
  cancelled: 'cancelled',
};

function notFound(err: unknown): boolean {
  const e = err as { statusCode?: unknown; status?: unknown } | null;
  return e !== null && typeof e === 'object' && (e.statusCode === 404 || e.status === 404);
}

/** Reads each of our records back through the payment port (currency as the ledger has it: the port does not report one). */
export function portRecordSource(port: PaymentProvider): ProviderRecordSource {
  return {
    provider: port.name,
    async lookup(record) {
      const ours = {
        provider: port.name,
        providerRef: record.providerRef,
        ourId: record.id,
        bookingId: record.bookingId,
        currency: record.currency,
      };
      try {
        if (record.kind === 'refund') {
          const refund = await port.retrieveRefund(record.providerRef);
          // The port reports no refund amount: a settled refund is taken at the ledger's word.
          return { ...ours, kind: 'refund', amount: record.amount, status: refund.status };
        }
        const state = await port.retrievePayment(record.providerRef);
        const amount = state.status === 'authorized' ? record.amount : state.amountReceived;
        return { ...ours, kind: 'payment', amount, status: PAYMENT_STATUS[state.status] };
      } catch (err) {
        if (notFound(err)) return undefined;
        throw err;
      }
    },
  };
}
