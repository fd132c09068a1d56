/**
 * The port every payment provider plugs into. The `local` adapter settles on request (tests,
 * demos, benchmarks); a Stripe adapter speaks the same port and reports settlement by webhook,
 * which ends in the same flows (confirm-payment, settle-refund).
 */

export interface CreatePaymentRequest {
  /** Our payment id; providers use it as their idempotency key, so a retried create charges once. */
  paymentId: string;
  bookingId: string;
  amount: number;
  currency: string;
  description: string;
}

export interface CreatedPayment {
  providerRef: string;
  /** Handed to the client to complete the payment (Stripe's PaymentIntent client secret). */
  clientSecret?: string;
}

export interface RefundRequest {
  /** Our refund id, used as the provider's idempotency key. */
  refundId: string;
  /** The provider's reference of the charge the money goes back from. */
  chargeRef: string;
  amount: number;
  currency: string;
  reason: string;
}

export interface StartedRefund {
  providerRef: string;
  /** `succeeded` when the provider settles at once; otherwise settlement arrives later. */
  status: 'pending' | 'succeeded';
}

export interface PaymentProvider {
  readonly name: string;
  createPayment(request: CreatePaymentRequest): Promise<CreatedPayment>;
  refund(request: RefundRequest): Promise<StartedRefund>;
  /** Abandons a payment that will not be needed any more (booking expired or cancelled before paying). */
  cancelPayment(providerRef: string): Promise<void>;
}
