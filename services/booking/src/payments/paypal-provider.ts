/**
 * PayPal behind the payment port, through the official server SDK: an order per booking payment
 * (PayPal-Request-Id from the booking and payment ids), captured by us once the guest approved it,
 * and refunds against the capture.
 *
 * The SDK knows only two environments (Production, Sandbox) and has no base-URL option. A
 * PAYPAL_API_BASE other than those two hosts is applied through the SDK's pass-through HTTP
 * client options: an axios adapter that moves each request to that origin and otherwise sends
 * it unchanged with axios's own HTTP adapter.
 */
import axios, { type AxiosAdapter } from 'axios';
import {
  ApiError,
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
  CreatedPayment,
  CreatePaymentRequest,
  PaymentProvider,
  PaymentState,
  RefundRequest,
  RefundState,
} from './payment-provider';
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

/** Minor units to PayPal's decimal string, with the currency's own number of decimals. */
export function toPayPalValue(amount: number, currency: string): string {
  const digits = currencyDigits(currency);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  if (digits === 0) return `${sign}${abs}`;
  const scale = 10 ** digits;
  return `${sign}${Math.floor(abs / scale)}.${String(abs % scale).padStart(digits, '0')}`;
}

/** PayPal's decimal string back to minor units. */
export function fromPayPalValue(value: string, currency: string): number {
  const digits = currencyDigits(currency);
  const [whole = '0', fraction = ''] = value.split('.');
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0').slice(0, digits) || '0');
}

function currencyDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency: currency.trim() }).resolvedOptions()
      .maximumFractionDigits ?? 2
  );
}

const REFUND_STATUS: Record<RefundStatus, RefundState['status']> = {
  [RefundStatus.Completed]: 'succeeded',
  [RefundStatus.Pending]: 'pending',
  [RefundStatus.Failed]: 'failed',
  [RefundStatus.Cancelled]: 'failed',
};

export class PayPalPaymentProvider implements PaymentProvider {
  readonly name = 'paypal';
  /** Deposits need PayPal's authorize-then-capture flow, which this adapter does not speak. */
  readonly supportsDeposits = false;
  private readonly orders: OrdersController;
  private readonly payments: PaymentsController;

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
    this.orders = new OrdersController(client);
    this.payments = new PaymentsController(client);
  }

  async createPayment(request: CreatePaymentRequest): Promise<CreatedPayment> {
    if (request.capture === 'manual') throw new Error('PayPal deposits are not supported');
    const { result } = await this.orders.createOrder({
      body: {
        intent: CheckoutPaymentIntent.Capture,
        purchaseUnits: [
          {
            referenceId: request.paymentId,
            customId: request.bookingId,
            description: request.description.slice(0, 127),
            amount: {
              currencyCode: request.currency.trim(),
              value: toPayPalValue(request.amount, request.currency),
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

  /** Captures an approved order (PayPal moves money only when the merchant captures). */
  async completePayment(providerRef: string): Promise<PaymentState> {
    try {
      const { result } = await this.orders.captureOrder({
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
          value: toPayPalValue(request.amount, request.currency),
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

  async capturePayment(): Promise<PaymentState> {
    throw new Error('PayPal deposits are not supported');
  }

  /** An order nobody captures moves no money and lapses on PayPal's side. */
  async cancelPayment(): Promise<CancelOutcome> {
    return 'cancelled';
  }
}

const UNSETTLED: readonly (CaptureStatus | undefined)[] = [
  CaptureStatus.Pending,
  CaptureStatus.Declined,
  CaptureStatus.Failed,
];

function stateOf(order: Order): PaymentState {
  const captures = order.purchaseUnits?.[0]?.payments?.captures ?? [];
  const capture = captures[0];
  const received = captures
    .filter((c) => !UNSETTLED.includes(c.status))
    .reduce((sum, c) => sum + (c.amount ? fromPayPalValue(c.amount.value, c.amount.currencyCode) : 0), 0);
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
