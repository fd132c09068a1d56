/**
 * Stripe behind the payment port: one PaymentIntent per booking payment (idempotency key from
 * the booking and payment ids), refunds by PaymentIntent, manual capture for deposits, and the
 * signed webhooks checked on the raw body. STRIPE_API_BASE points the official client at any
 * Stripe-compatible server through its host/port/protocol options.
 */
import Stripe from 'stripe';
import { ValidationFailed } from '@midas/contracts';
import { depositAuthorizationKey } from '../domain/deposit-schedule';
import { refundIdempotencyKey } from '../domain/refund-repair';
import type {
  CancelOutcome,
  CreatedPayment,
  CreatePaymentRequest,
  DepositAuthorization,
  DepositAuthorizationRequest,
  PaymentProvider,
  PaymentState,
  RefundRequest,
  RefundState,
} from './payment-provider';

export interface StripeOptions {
  secretKey: string;
  webhookSecret: string;
  /** e.g. `http://127.0.0.1:12111`; unset: api.stripe.com. */
  apiBase?: string;
  timeoutMs?: number;
}

/** What the webhook route needs of an event once its signature holds. */
export interface VerifiedStripeEvent {
  id: string;
  type: string;
  /** The id of the object the event is about (a PaymentIntent, a Charge). */
  objectId: string;
  /** For charge events: the PaymentIntent the charge belongs to. */
  paymentIntentId?: string;
}

/** Splits STRIPE_API_BASE into the client's host, port and protocol options. */
export function stripeHostOptions(apiBase: string | undefined): {
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
} {
  if (!apiBase) return {};
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  const port = url.port ? Number(url.port) : protocol === 'http' ? 80 : 443;
  return { host: url.hostname, port, protocol };
}

const STATUS: Record<Stripe.PaymentIntent.Status, PaymentState['status']> = {
  requires_payment_method: 'pending',
  requires_confirmation: 'pending',
  requires_action: 'pending',
  processing: 'processing',
  requires_capture: 'authorized',
  succeeded: 'succeeded',
  canceled: 'cancelled',
};

function refundStatus(refund: Stripe.Refund): RefundState['status'] {
  if (refund.status === 'succeeded') return 'succeeded';
  if (refund.status === 'failed' || refund.status === 'canceled') return 'failed';
  return 'pending';
}

function refundStateOf(refund: Stripe.Refund): RefundState {
  const status = refundStatus(refund);
  return {
    providerRef: refund.id,
    status,
    ...(status === 'failed'
      ? { failureReason: refund.failure_reason ?? (refund.status === 'canceled' ? 'canceled' : 'failed') }
      : {}),
  };
}

function idOf(ref: string | { id: string } | null | undefined): string | undefined {
  if (!ref) return undefined;
  return typeof ref === 'string' ? ref : ref.id;
}

export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe';
  readonly supportsDeposits = true;
  /** A manual-capture authorisation lasts about 7 days: deposits are authorised off-session at their lead time. */
  readonly depositTiming = 'lead_time';
  private readonly stripe: Stripe;

  constructor(private readonly options: StripeOptions) {
    this.stripe = new Stripe(options.secretKey, {
      ...stripeHostOptions(options.apiBase),
      timeout: options.timeoutMs ?? 20_000,
      maxNetworkRetries: 2,
      telemetry: false,
    });
  }

  async createPayment(request: CreatePaymentRequest): Promise<CreatedPayment> {
    // A card kept for the deposit needs a customer to belong to; one per booking, found again on a retry.
    const customer = request.saveCard
      ? await this.stripe.customers.create(
          { description: `Booking ${request.bookingId}`, metadata: { booking_id: request.bookingId } },
          { idempotencyKey: `booking-${request.bookingId}-customer` },
        )
      : undefined;
    const intent = await this.stripe.paymentIntents.create(
      {
        amount: request.amount,
        currency: request.currency.trim().toLowerCase(),
        capture_method: request.capture === 'manual' ? 'manual' : 'automatic',
        description: request.description,
        metadata: { booking_id: request.bookingId, payment_id: request.paymentId },
        automatic_payment_methods: { enabled: true },
        ...(customer ? { customer: customer.id, setup_future_usage: 'off_session' as const } : {}),
      },
      // A retried create (crash, timeout, replayed Idempotency-Key) finds the same PaymentIntent.
      { idempotencyKey: `booking-${request.bookingId}-payment-${request.paymentId}` },
    );
    return { providerRef: intent.id, clientSecret: intent.client_secret ?? undefined };
  }

  async retrievePayment(providerRef: string): Promise<PaymentState> {
    return stateOf(await this.stripe.paymentIntents.retrieve(providerRef));
  }

  async refund(request: RefundRequest): Promise<RefundState> {
    const refund = await this.stripe.refunds.create(
      {
        payment_intent: request.paymentRef,
        amount: request.amount,
        metadata: { booking_id: request.bookingId, refund_id: request.refundId, reason: request.reason },
      },
      { idempotencyKey: refundIdempotencyKey(request.bookingId, request.refundId, request.attempt) },
    );
    return refundStateOf(refund);
  }

  async retrieveRefund(providerRef: string): Promise<RefundState> {
    return refundStateOf(await this.stripe.refunds.retrieve(providerRef));
  }

  async capturePayment(providerRef: string, amount: number): Promise<PaymentState> {
    const intent = await this.stripe.paymentIntents.capture(
      providerRef,
      { amount_to_capture: amount },
      { idempotencyKey: `capture-${providerRef}-${amount}` },
    );
    return stateOf(intent);
  }

  async cancelPayment(providerRef: string): Promise<CancelOutcome> {
    const intent = await this.stripe.paymentIntents.retrieve(providerRef);
    if (intent.status === 'canceled') return 'cancelled';
    if (intent.status === 'processing' || intent.status === 'succeeded') return 'not_cancellable';
    try {
      await this.stripe.paymentIntents.cancel(providerRef, {}, { idempotencyKey: `cancel-${providerRef}` });
      return 'cancelled';
    } catch (err) {
      // The guest's payment moved on between the read and the cancel; its outcome decides.
      const now = await this.stripe.paymentIntents.retrieve(providerRef);
      if (now.status === 'canceled') return 'cancelled';
      if (now.status === 'processing' || now.status === 'succeeded') return 'not_cancellable';
      throw err;
    }
  }

  /**
   * The deposit at its lead time: a manual-capture PaymentIntent confirmed off-session with the
   * customer and card the booking's payment saved. Stripe answers a refusal (`card_declined`, or
   * `authentication_required` when the bank wants the guest present) with a 402 carrying the
   * PaymentIntent, which stays open for the guest to complete with its client secret.
   */
  async authorizeDeposit(request: DepositAuthorizationRequest): Promise<DepositAuthorization> {
    const charge = request.savedFrom
      ? await this.stripe.paymentIntents.retrieve(request.savedFrom)
      : undefined;
    const customer = idOf(charge?.customer);
    const paymentMethod = idOf(charge?.payment_method);
    if (!customer || !paymentMethod) {
      return {
        status: 'declined',
        code: 'no_saved_card',
        reason: 'no card was saved with the booking payment',
      };
    }
    try {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amount,
          currency: request.currency.trim().toLowerCase(),
          capture_method: 'manual',
          customer,
          payment_method: paymentMethod,
          off_session: true,
          confirm: true,
          description: request.description,
          metadata: { booking_id: request.bookingId, payment_id: request.paymentId },
        },
        { idempotencyKey: depositAuthorizationKey(request.bookingId, request.paymentId, request.attempt) },
      );
      if (intent.status === 'requires_capture') return { status: 'authorized', providerRef: intent.id };
      return {
        status: 'declined',
        code: intent.last_payment_error?.code ?? intent.status,
        reason: intent.last_payment_error?.message ?? `the authorisation is ${intent.status}`,
        providerRef: intent.id,
        clientSecret: intent.client_secret ?? undefined,
      };
    } catch (err) {
      if (!(err instanceof Stripe.errors.StripeCardError)) throw err;
      const intent = err.payment_intent;
      return {
        status: 'declined',
        code: err.code ?? 'card_declined',
        reason: err.message,
        providerRef: intent?.id,
        clientSecret: intent?.client_secret ?? undefined,
      };
    }
  }

  /**
   * Checks the Stripe-Signature of a raw body (default tolerance, 300 s). Anything else than the
   * untouched bytes Stripe sent (a body some parser already turned into an object, a re-serialised
   * one) fails here: a 400 that changes nothing.
   */
  verifyWebhook(rawBody: unknown, signature: string | undefined): VerifiedStripeEvent {
    if (!Buffer.isBuffer(rawBody) && typeof rawBody !== 'string') {
      throw badSignature('the webhook body must reach the handler unparsed');
    }
    if (!signature) throw badSignature('the Stripe-Signature header is missing');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(rawBody, signature, this.options.webhookSecret);
    } catch (err) {
      throw badSignature(err instanceof Error ? err.message.split('\n')[0]! : 'signature check failed');
    }
    const object = event.data.object as { id?: string; object?: string; payment_intent?: unknown };
    if (typeof object.id !== 'string') throw badSignature('the event carries no object id');
    return {
      id: event.id,
      type: event.type,
      objectId: object.id,
      paymentIntentId:
        object.object === 'charge' || object.object === 'refund'
          ? idOf(object.payment_intent as string | { id: string } | null)
          : undefined,
    };
  }
}

function stateOf(intent: Stripe.PaymentIntent): PaymentState {
  return {
    status: STATUS[intent.status] ?? 'pending',
    lastFailure:
      intent.status === 'requires_payment_method' && intent.last_payment_error
        ? (intent.last_payment_error.message ?? intent.last_payment_error.code ?? 'payment failed')
        : undefined,
    amountReceived: intent.amount_received ?? 0,
    chargeRef: idOf(intent.latest_charge),
  };
}

function badSignature(message: string): ValidationFailed {
  return new ValidationFailed(`Invalid Stripe webhook: ${message}`, [
    { field: 'Stripe-Signature', message, in: 'header' },
  ]);
}
