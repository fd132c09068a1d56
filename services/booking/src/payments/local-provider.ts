/**
 * The `local` payment provider: no money moves. A payment stays pending until someone holding
 * the booking calls POST /v1/payments/local/:bookingId/confirm, as Stripe's webhook would;
 * refunds settle at once.
 */
import type { CreatedPayment, PaymentProvider, RefundRequest, StartedRefund } from './payment-provider';

export class LocalPaymentProvider implements PaymentProvider {
  readonly name = 'local';

  async createPayment(request: { paymentId: string }): Promise<CreatedPayment> {
    return { providerRef: `local_pay_${request.paymentId}` };
  }

  async refund(request: RefundRequest): Promise<StartedRefund> {
    return { providerRef: `local_ref_${request.refundId}`, status: 'succeeded' };
  }

  async cancelPayment(): Promise<void> {
    // Nothing was reserved anywhere, so there is nothing to release.
  }
}
