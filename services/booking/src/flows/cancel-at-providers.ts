/**
 * Once a transaction cancelled payments in our ledger, what they hold open at their providers is
 * cancelled too, best effort: a refusal is logged and left, since an unpaid intent or order
 * lapses at the provider on its own and our ledger already says cancelled.
 */
import type { PaymentRow } from '../db/schema';
import { providerOf, type FlowContext } from './context';

export async function cancelAtProviders(
  deps: Pick<FlowContext, 'payments' | 'logger'>,
  cancelled: readonly PaymentRow[],
): Promise<void> {
  for (const p of cancelled) {
    if (!p.providerRef) continue;
    await providerOf(deps, p)
      .cancelPayment(p.providerRef)
      .catch((err: unknown) =>
        deps.logger.warn({ err, paymentId: p.id }, 'could not cancel a payment at the provider'),
      );
  }
}
