/**
 * The `local` payment provider: no money moves. A payment stays pending until someone holding
 * the booking calls POST /v1/payments/local/:bookingId/confirm, as Stripe's webhook would;
 * refunds, captures and releases settle at once.
 */
import type {
  CancelOutcome,
  CreatedPayment,
  DepositAuthorization,
  DepositAuthorizationRequest,
  PaymentProvider,
  PaymentState,
  RefundRequest,
  RefundState,
} from './payment-provider';

export class LocalPaymentProvider implements PaymentProvider {
  readonly name = 'local';
  readonly supportsDeposits = true;
  /** The confirm endpoint holds the deposit with the payment; nothing lapses here. */
  readonly depositTiming = 'at_booking';

  async createPayment(request: { paymentId: string }): Promise<CreatedPayment> {
    return { providerRef: `local_pay_${request.paymentId}` };
  }

  /** Local payments live only in our own table; the confirm endpoint is the payer's action. */
  async retrievePayment(): Promise<PaymentState> {
    return { status: 'pending', amountReceived: 0 };
  }

  async refund(request: RefundRequest): Promise<RefundState> {
    return { providerRef: `local_ref_${request.refundId}`, status: 'succeeded' };
  }

  async retrieveRefund(providerRef: string): Promise<RefundState> {
    return { providerRef, status: 'succeeded' };
  }

  async capturePayment(_providerRef: string, amount: number): Promise<PaymentState> {
    return { status: 'succeeded', amountReceived: amount };
  }

  /** Nothing lapses locally: a hold is kept, a new one is granted at once. */
  async authorizeDeposit(request: DepositAuthorizationRequest): Promise<DepositAuthorization> {
    return {
      status: 'authorized',
      providerRef: request.held?.providerRef ?? `local_dep_${request.paymentId}_${request.attempt}`,
    };
  }

  async cancelPayment(): Promise<CancelOutcome> {
    // Nothing was reserved anywhere, so there is nothing to release.
    return 'cancelled';
  }
}
