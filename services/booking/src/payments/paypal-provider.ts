/**
 * PayPal behind the payment port, through the official server SDK: an order per booking payment
 * (PayPal-Request-Id from the booking and payment ids), captured by us once the guest approved it,
 * refunds against the capture, security deposits as an authorize-intent order (authorised once
 * approved, then captured or voided), and webhook events checked by PayPal's own
 * verify-webhook-signature endpoint against PAYPAL_WEBHOOK_ID.
 *
 * The SDK knows only two environments (Production, Sandbox) and has no base-URL option. A
 * PAYPAL_API_BASE other than those two hosts is applied through the SDK's pass-through HTTP
 * client options: an axios adapter that moves each request to that origin and otherwise sends
 * it unchanged with axios's own HTTP adapter.
 */
import axios, { type AxiosAdapter } from 'axios';
import { z } from 'zod';
import { fromDecimalString, toDecimalString, Unavailable, ValidationFailed } from '@midas/contracts';
import {
  ApiError,
  AuthorizationStatus,
  CaptureStatus,
  CheckoutPaymentIntent,
  Client,
  Environment,
  OrdersController,
  OrderStatus,
  PaymentsController,
  RefundStatus,
  type OAuthToken,
  type Order,
} from '@paypal/paypal-server-sdk';
import type {
  CancelOutcome,
  CaptureMode,
  CreatedPayment,
  CreatePaymentRequest,
  DepositAuthorization,
  DepositAuthorizationRequest,
  PaymentProvider,
  PaymentState,
  RefundRequest,
  RefundState,
} from './payment-provider';
import { depositAuthorizationKey } from '../domain/deposit-schedule';
import { refundIdempotencyKey } from '../domain/refund-repair';

export interface PayPalOptions {
  clientId: string;
  clientSecret: string;
  /** Unset: the sandbox. */
  apiBase?: string;
  /** PAYPAL_WEBHOOK_ID: webhook events are verified against it; unset, every event is refused. */
  webhookId?: string;
  timeoutMs?: number;
}

const PRODUCTION = 'https://api-m.paypal.com';
const SANDBOX = 'https://api-m.sandbox.paypal.com';

/** An axios adapter that sends every request to `base` instead of the SDK's fixed host. */
export function rebasingAdapter(base: string): AxiosAdapter {
  const http = axios.getAdapter('http');
  const target = new URL(base);
  return (config) => {
    const url = new URL(config.url!);
    url.protocol = target.protocol;
    url.host = target.host;
    url.pathname = `${target.pathname.replace(/\/$/, '')}${url.pathname}`;
    return http({ ...config, url: url.toString() });
  };
}

const REFUND_STATUS: Record<RefundStatus, RefundState['status']> = {
  [RefundStatus.Completed]: 'succeeded',
  [RefundStatus.Pending]: 'pending',
  [RefundStatus.Failed]: 'failed',
  [RefundStatus.Cancelled]: 'failed',
};

/** The headers PayPal signs a webhook delivery with, as its verify endpoint wants them. */
const SIGNATURE_HEADERS = {
  auth_algo: 'paypal-auth-algo',
  cert_url: 'paypal-cert-url',
  transmission_id: 'paypal-transmission-id',
  transmission_sig: 'paypal-transmission-sig',
  transmission_time: 'paypal-transmission-time',
} as const;

const relatedIds = z
  .object({
    order_id: z.string().optional(),
    authorization_id: z.string().optional(),
    capture_id: z.string().optional(),
  })
  .partial();

/** The part of a webhook event this service reads; the rest is re-fetched from PayPal. */
const webhookEvent = z.object({
  id: z.string().min(1).max(200),
  event_type: z.string().min(1).max(200),
  resource_type: z.string().max(100).optional(),
  resource: z
    .object({
      id: z.string().max(200).optional(),
      supplementary_data: z.object({ related_ids: relatedIds.optional() }).partial().optional(),
      links: z.array(z.object({ href: z.string(), rel: z.string() }).partial()).optional(),
    })
    .passthrough(),
});

const verification = z.object({ verification_status: z.string() });

/** What the webhook route needs of an event once PayPal vouched for it. */
export interface VerifiedPayPalEvent {
  id: string;
  type: string;
  /** The order the capture or authorisation belongs to (our payment's providerRef). */
  orderId?: string;
  /** For refund events: the capture refunded (our charge's providerChargeRef). */
  captureId?: string;
  /** For refund events: PayPal's refund id (our refund's providerRef). */
  refundId?: string;
}

export class PayPalPaymentProvider implements PaymentProvider {
  readonly name = 'paypal';
  /** Deposits are authorize-intent orders: authorised once the payer approved, captured or voided by staff. */
  readonly supportsDeposits = true;
  /** The payer approves the deposit's order at booking; held from then, reauthorised at the lead time. */
  readonly depositTiming = 'at_booking';
  private readonly orders: OrdersController;
  private readonly payments: PaymentsController;
  private readonly client: Client;
  private readonly webhookId?: string;

  constructor(options: PayPalOptions) {
    const base = options.apiBase?.replace(/\/$/, '');
    const environment = base === PRODUCTION ? Environment.Production : Environment.Sandbox;
    const custom = base !== undefined && base !== PRODUCTION && base !== SANDBOX;
    const client = new Client({
      clientCredentialsAuthCredentials: {
        oAuthClientId: options.clientId,
        oAuthClientSecret: options.clientSecret,
        // The SDK keeps the outcome of its last token request and awaits it before every call, so
        // one refused or failed token request (a 401, a 5xx, a network blip) would fail every later
        // call until a restart. Answering "no token" fails only the call at hand ("Client is not
        // authorized"), and the next call asks PayPal for a token again.
        oAuthTokenProvider: (last, manager) =>
          manager.updateToken(last).catch(() => undefined as unknown as OAuthToken),
      },
      environment,
      timeout: options.timeoutMs ?? 20_000,
      ...(custom ? { unstable_httpClientOptions: { adapter: rebasingAdapter(base) } } : {}),
    });
    this.client = client;
    this.webhookId = options.webhookId;
    this.orders = new OrdersController(client);
    this.payments = new PaymentsController(client);
  }

  async createPayment(request: CreatePaymentRequest): Promise<CreatedPayment> {
    const { result } = await this.orders.createOrder({
      body: {
        intent:
          request.capture === 'manual' ? CheckoutPaymentIntent.Authorize : CheckoutPaymentIntent.Capture,
        purchaseUnits: [
          {
            referenceId: request.paymentId,
            customId: request.bookingId,
            description: request.description.slice(0, 127),
            amount: {
              currencyCode: request.currency.trim(),
              value: toDecimalString(request.amount, request.currency),
            },
          },
        ],
      },
      paypalRequestId: `booking-${request.bookingId}-payment-${request.paymentId}`,
      prefer: 'return=representation',
    });
    // The guest's PayPal button completes the order by its id; there is no secret to hand out.
    return { providerRef: result.id!, clientSecret: result.id };
  }

  async retrievePayment(providerRef: string): Promise<PaymentState> {
    const { result } = await this.orders.getOrder({ id: providerRef });
    return stateOf(result);
  }

  /**
   * Captures an approved order (PayPal moves money only when the merchant captures), or for a
   * deposit authorises it: the money is then held on the payer's account until captured or voided.
   */
  async completePayment(providerRef: string, capture: CaptureMode = 'automatic'): Promise<PaymentState> {
    try {
      const { result } =
        capture === 'manual'
          ? await this.orders.authorizeOrder({
              id: providerRef,
              paypalRequestId: `authorize-${providerRef}`,
              prefer: 'return=representation',
            })
          : await this.orders.captureOrder({
              id: providerRef,
              paypalRequestId: `capture-${providerRef}`,
              prefer: 'return=representation',
            });
      return stateOf(result);
    } catch (err) {
      // Not approved yet, or already captured by an earlier call: the order itself tells which.
      if (err instanceof ApiError && err.statusCode === 422) return this.retrievePayment(providerRef);
      throw err;
    }
  }

  async refund(request: RefundRequest): Promise<RefundState> {
    if (!request.chargeRef) throw new Error(`PayPal refund ${request.refundId} has no capture to refund`);
    const { result } = await this.payments.refundCapturedPayment({
      captureId: request.chargeRef,
      paypalRequestId: refundIdempotencyKey(request.bookingId, request.refundId, request.attempt),
      prefer: 'return=representation',
      body: {
        amount: {
          currencyCode: request.currency.trim(),
          value: toDecimalString(request.amount, request.currency),
        },
        // Each attempt after a failed one is a new refund at PayPal, with its own invoice id.
        invoiceId: request.attempt ? `${request.refundId}-${request.attempt + 1}` : request.refundId,
        noteToPayer: request.reason.slice(0, 255),
      },
    });
    return { providerRef: result.id!, status: result.status ? REFUND_STATUS[result.status] : 'pending' };
  }

  async retrieveRefund(providerRef: string): Promise<RefundState> {
    const { result } = await this.payments.getRefund({ refundId: providerRef });
    return { providerRef, status: result.status ? REFUND_STATUS[result.status] : 'pending' };
  }

  /** Captures `amount` of a deposit's authorisation (the rest of the hold is released). */
  async capturePayment(providerRef: string, amount: number): Promise<PaymentState> {
    const { result: order } = await this.orders.getOrder({ id: providerRef });
    const authorization = latestAuthorization(order);
    if (!authorization?.id) throw new Error(`PayPal order ${providerRef} holds no authorisation to capture`);
    const currency = authorization.amount?.currencyCode ?? order.purchaseUnits![0]!.amount!.currencyCode;
    await this.payments.captureAuthorizedPayment({
      authorizationId: authorization.id,
      paypalRequestId: `capture-${authorization.id}-${amount}`,
      prefer: 'return=representation',
      body: {
        amount: { currencyCode: currency, value: toDecimalString(amount, currency) },
        finalCapture: true,
      },
    });
    return this.retrievePayment(providerRef);
  }

  /**
   * Abandons an order: an authorisation still held is voided; an order nobody captured or
   * authorised moves no money and lapses on PayPal's side. One whose capture is completed or
   * pending (money on its way) cannot be abandoned: its outcome decides.
   */
  async cancelPayment(providerRef: string): Promise<CancelOutcome> {
    const { result: order } = await this.orders.getOrder({ id: providerRef });
    const payments = order.purchaseUnits?.[0]?.payments;
    const authorization = latestAuthorization(order);
    const captured = (payments?.captures ?? []).some((c) => !DECLINED.includes(c.status));
    if (captured) return 'not_cancellable';
    if (!authorization?.id) return 'cancelled';
    if (
      authorization.status === AuthorizationStatus.Created ||
      authorization.status === AuthorizationStatus.Pending
    ) {
      try {
        await this.payments.voidPayment({
          authorizationId: authorization.id,
          paypalRequestId: `void-${authorization.id}`,
        });
      } catch (err) {
        // Voided or captured a moment ago by another call: the authorisation now says which.
        const { result } = await this.payments.getAuthorizedPayment({ authorizationId: authorization.id });
        if (result.status === AuthorizationStatus.Voided) return 'cancelled';
        if (
          result.status === AuthorizationStatus.Captured ||
          result.status === AuthorizationStatus.PartiallyCaptured
        )
          return 'not_cancellable';
        throw err;
      }
      return 'cancelled';
    }
    return authorization.status === AuthorizationStatus.Captured ||
      authorization.status === AuthorizationStatus.PartiallyCaptured
      ? 'not_cancellable'
      : 'cancelled';
  }

  /**
   * Renews a deposit's authorisation at its lead time: PayPal honours an authorisation 3 days and
   * lets it be reauthorised once, until day 29 (`POST /v2/payments/authorizations/{id}/reauthorize`),
   * which holds the amount again for a new honour period. Without a held authorisation (the payer
   * never approved the deposit's order) there is nothing PayPal can take without the payer.
   */
  async authorizeDeposit(request: DepositAuthorizationRequest): Promise<DepositAuthorization> {
    if (!request.held) {
      return {
        status: 'declined',
        code: 'payer_approval_required',
        reason: 'the payer has not approved the deposit',
      };
    }
    const { result: order } = await this.orders.getOrder({ id: request.held.providerRef });
    const authorization = latestAuthorization(order);
    if (
      !authorization?.id ||
      (authorization.status !== AuthorizationStatus.Created &&
        authorization.status !== AuthorizationStatus.Pending)
    ) {
      return {
        status: 'declined',
        code: 'authorization_not_held',
        reason: `the deposit's authorisation is ${authorization?.status?.toLowerCase() ?? 'missing'}`,
      };
    }
    try {
      await this.payments.reauthorizePayment({
        authorizationId: authorization.id,
        paypalRequestId: depositAuthorizationKey(request.bookingId, request.paymentId, request.attempt),
        prefer: 'return=representation',
        body: {
          amount: {
            currencyCode: request.currency.trim(),
            value: toDecimalString(request.amount, request.currency),
          },
        },
      });
    } catch (err) {
      // 422: PayPal refuses the reauthorisation (too early, too late, already reauthorised, funds gone).
      if (err instanceof ApiError && err.statusCode === 422) {
        return {
          status: 'declined',
          code: 'reauthorization_refused',
          reason: `PayPal refused to reauthorise the deposit (${err.message.split('\n')[0]})`,
        };
      }
      throw err;
    }
    return { status: 'authorized', providerRef: request.held.providerRef };
  }

  /**
   * Checks a webhook delivery with PayPal itself (POST /v1/notifications/verify-webhook-signature,
   * PAYPAL_WEBHOOK_ID and the five PAYPAL-* headers). The event goes back to PayPal as the exact
   * bytes received, so nothing re-serialised can fail the check. A refused or malformed delivery
   * is a 400 that changes nothing; PayPal not answering is a 503, so PayPal delivers it again.
   */
  async verifyWebhook(
    rawBody: unknown,
    header: (name: string) => string | undefined,
  ): Promise<VerifiedPayPalEvent> {
    if (!Buffer.isBuffer(rawBody) && typeof rawBody !== 'string') {
      throw badWebhook('body', 'the webhook body must reach the handler unparsed');
    }
    if (!this.webhookId) {
      throw new Unavailable(
        'webhook_not_configured',
        'PAYPAL_WEBHOOK_ID is not set, so PayPal events cannot be verified',
      );
    }
    const raw = rawBody.toString();
    let parsed: z.infer<typeof webhookEvent>;
    try {
      parsed = webhookEvent.parse(JSON.parse(raw));
    } catch {
      throw badWebhook('body', 'not a PayPal webhook event');
    }
    const fields: string[] = [];
    for (const [field, name] of Object.entries(SIGNATURE_HEADERS)) {
      const value = header(name);
      if (!value || value.length > 2000)
        throw badWebhook(name, `the ${name.toUpperCase()} header is missing`, 'header');
      fields.push(`${JSON.stringify(field)}:${JSON.stringify(value)}`);
    }
    const body = `{${fields.join(',')},"webhook_id":${JSON.stringify(this.webhookId)},"webhook_event":${raw}}`;
    let status: string;
    try {
      const req = this.client.getRequestBuilderFactory()(
        'POST',
        '/v1/notifications/verify-webhook-signature',
      );
      req.header('Content-Type', 'application/json');
      req.text(body);
      req.authenticate([{ oauth2: true }]);
      const { result } = await req.callAsText();
      status = verification.parse(JSON.parse(result)).verification_status;
    } catch (err) {
      if (err instanceof ApiError && err.statusCode === 400)
        throw badWebhook('body', 'PayPal refused to verify the event');
      throw new Unavailable(
        'payment_provider_unavailable',
        `PayPal could not verify the event now (${err instanceof Error ? err.message : 'no answer'}); it will be delivered again`,
      );
    }
    if (status !== 'SUCCESS')
      throw badWebhook('paypal-transmission-sig', 'PayPal did not verify the signature', 'header');
    const resource = parsed.resource;
    const related = resource.supplementary_data?.related_ids;
    const up = resource.links?.find((l) => l.rel === 'up')?.href;
    const refund = parsed.resource_type === 'refund';
    return {
      id: parsed.id,
      type: parsed.event_type,
      orderId: related?.order_id,
      captureId: refund
        ? (related?.capture_id ?? lastSegment(up))
        : parsed.resource_type === 'capture'
          ? resource.id
          : undefined,
      refundId: refund ? resource.id : undefined,
    };
  }
}

function lastSegment(href: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    return new URL(href).pathname.split('/').filter(Boolean).at(-1);
  } catch {
    return undefined;
  }
}

function badWebhook(field: string, message: string, where: 'header' | 'body' = 'body'): ValidationFailed {
  return new ValidationFailed(`Invalid PayPal webhook: ${message}`, [{ field, message, in: where }]);
}

const DECLINED: readonly (CaptureStatus | undefined)[] = [CaptureStatus.Declined, CaptureStatus.Failed];
const UNSETTLED: readonly (CaptureStatus | undefined)[] = [CaptureStatus.Pending, ...DECLINED];

function stateOf(order: Order): PaymentState {
  if (order.intent === CheckoutPaymentIntent.Authorize) return authorizationStateOf(order);
  const captures = order.purchaseUnits?.[0]?.payments?.captures ?? [];
  const capture = captures[0];
  const received = captures
    .filter((c) => !UNSETTLED.includes(c.status))
    .reduce((sum, c) => sum + (c.amount ? fromDecimalString(c.amount.value, c.amount.currencyCode) : 0), 0);
  const declined = capture?.status === CaptureStatus.Declined || capture?.status === CaptureStatus.Failed;
  let status: PaymentState['status'] = 'pending';
  if (order.status === OrderStatus.Voided) status = 'cancelled';
  else if (order.status === OrderStatus.Completed && capture?.status === CaptureStatus.Pending)
    status = 'processing';
  else if (order.status === OrderStatus.Completed && !declined) status = 'succeeded';
  return {
    status,
    amountReceived: received,
    chargeRef: capture?.id,
    lastFailure: declined ? `capture ${capture!.status!.toLowerCase()}` : undefined,
  };
}

/** A deposit's order: held while its authorisation is, succeeded once captured, cancelled once voided. */
/** The authorisation that holds the money now: a reauthorisation is listed after the one it renews. */
function latestAuthorization(order: Order) {
  const all = order.purchaseUnits?.[0]?.payments?.authorizations ?? [];
  return all[all.length - 1];
}

function authorizationStateOf(order: Order): PaymentState {
  const payments = order.purchaseUnits?.[0]?.payments;
  const authorization = latestAuthorization(order);
  const captures = (payments?.captures ?? []).filter((c) => !UNSETTLED.includes(c.status));
  const received = captures.reduce(
    (sum, c) => sum + (c.amount ? fromDecimalString(c.amount.value, c.amount.currencyCode) : 0),
    0,
  );
  const base = { amountReceived: received, chargeRef: captures[0]?.id };
  if (order.status === OrderStatus.Voided) return { ...base, status: 'cancelled' };
  switch (authorization?.status) {
    case AuthorizationStatus.Created:
      return { ...base, status: 'authorized' };
    case AuthorizationStatus.Pending:
      return { ...base, status: 'processing' };
    case AuthorizationStatus.Captured:
    case AuthorizationStatus.PartiallyCaptured:
      return { ...base, status: captures.length > 0 ? 'succeeded' : 'processing' };
    case AuthorizationStatus.Voided:
      return { ...base, status: 'cancelled' };
    case AuthorizationStatus.Denied:
      return { ...base, status: 'pending', lastFailure: 'authorization denied' };
    default:
      // EXPIRED (29 days on) is not in the SDK's enum: the hold is gone as if voided.
      if ((authorization?.status as string | undefined) === 'EXPIRED')
        return { ...base, status: 'cancelled' };
      return { ...base, status: 'pending' };
  }
}
