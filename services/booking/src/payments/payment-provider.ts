/**
 * The port every payment provider plugs into. `local` settles on request (tests, demos,
 * benchmarks); Stripe reports by signed webhook and PayPal by the capture the guest's return
 * triggers. Whatever the route, the provider's answer ends as a PaymentState handed to the
 * apply-payment-state flow, so every provider settles bookings through the same code.
 */

/** `manual` only authorises (a security deposit), captured or released later. */
export type CaptureMode = 'automatic' | 'manual';

export interface CreatePaymentRequest {
  /** Our payment id; with the booking id it forms the provider's idempotency key. */
  paymentId: string;
  bookingId: string;
  amount: number;
  currency: string;
  description: string;
  capture?: CaptureMode;
  /**
   * Keep the guest's card for a later payment without them (the deposit authorised before the
   * rental): Stripe's `setup_future_usage: off_session` with a customer of the booking.
   */
  saveCard?: boolean;
}

export interface CreatedPayment {
  providerRef: string;
  /** Handed to the client to complete the payment (Stripe's client secret, PayPal's order id). */
  clientSecret?: string;
}

/** What the provider says a payment is now. */
export interface PaymentState {
  status: 'pending' | 'processing' | 'authorized' | 'succeeded' | 'cancelled';
  /** Why the last attempt failed while the payment can still be retried (a declined card). */
  lastFailure?: string;
  /** What was actually taken; for a captured deposit, the captured part. */
  amountReceived: number;
  /** The provider's id of the money movement that refunds go back against (charge, capture). */
  chargeRef?: string;
}

export interface RefundRequest {
  /** Our refund id, used in the provider's idempotency key. */
  refundId: string;
  bookingId: string;
  /** The provider's reference of the payment the money goes back from. */
  paymentRef: string;
  /** The provider's charge or capture id, where refunds go against that rather than the payment. */
  chargeRef?: string;
  amount: number;
  currency: string;
  reason: string;
  /** Failed attempts so far; each new attempt goes under its own idempotency key (domain/refund-repair.ts). */
  attempt?: number;
}

export interface RefundState {
  providerRef: string;
  /** `succeeded` when the provider settled it; `pending` ones settle later (Stripe's charge.refunded). */
  status: 'pending' | 'succeeded' | 'failed';
  /** The provider's reason for a failed refund, when it gives one. */
  failureReason?: string;
}

export type CancelOutcome = 'cancelled' | 'not_cancellable';

/** A deposit's authorisation asked for at its lead time, without the guest (domain/deposit-schedule.ts). */
export interface DepositAuthorizationRequest {
  /** Our deposit's payment id; with the booking id and the attempt it forms the idempotency key. */
  paymentId: string;
  bookingId: string;
  amount: number;
  currency: string;
  description: string;
  /** Our attempt number (a retry after a decline, or after the dates moved, is a new one). */
  attempt: number;
  /** The provider's id of the booking's paid charge, whose card was saved for this (Stripe). */
  savedFrom?: string;
  /** An authorisation already held since the payer approved it (PayPal), and since when. */
  held?: { providerRef: string; authorizedAt: Date };
}

export type DepositAuthorization =
  /** Held on the card; `providerRef` is what capture and release act on. */
  | { status: 'authorized'; providerRef: string }
  /**
   * Refused: `code` is the provider's (`card_declined`, `authentication_required`,
   * `authorization_expired`...). With a `clientSecret` the guest can complete it themselves.
   */
  | { status: 'declined'; code: string; reason: string; providerRef?: string; clientSecret?: string };

export interface PaymentProvider {
  readonly name: string;
  /** Whether manual-capture authorisations (security deposits) are available. */
  readonly supportsDeposits: boolean;
  /**
   * `lead_time`: the deposit is authorised without the guest at start - DEPOSIT_AUTH_LEAD_HOURS
   * (Stripe, off-session with the card saved by the booking's payment). `at_booking`: the payer
   * approves it beside the payment and it is held from then (PayPal, renewed at the lead time by
   * authorizeDeposit; `local`, where nothing lapses).
   */
  readonly depositTiming: 'lead_time' | 'at_booking';
  createPayment(request: CreatePaymentRequest): Promise<CreatedPayment>;
  retrievePayment(providerRef: string): Promise<PaymentState>;
  /**
   * For providers where the merchant finishes a payment the guest approved (PayPal's capture, or
   * its authorisation for a `manual` deposit): idempotent, and answers with the payment's state afterwards.
   */
  completePayment?(providerRef: string, capture?: CaptureMode): Promise<PaymentState>;
  refund(request: RefundRequest): Promise<RefundState>;
  retrieveRefund(providerRef: string): Promise<RefundState>;
  /** Takes `amount` (at most what was authorised) of a manual-capture payment. */
  capturePayment(providerRef: string, amount: number, authorised: number): Promise<PaymentState>;
  /**
   * Abandons a payment no longer needed (booking expired or cancelled before paying, deposit
   * released). `not_cancellable` when money is already on its way (processing or succeeded):
   * the payment's outcome then decides.
   */
  cancelPayment(providerRef: string): Promise<CancelOutcome>;
  /**
   * Authorises a deposit at its lead time: a new hold on the saved card, or (`held`) the renewal
   * of one held since booking. A refusal is an answer, not an error; errors mean "ask again".
   */
  authorizeDeposit(request: DepositAuthorizationRequest): Promise<DepositAuthorization>;
}
