/**
 * A small Stripe-compatible server for tests: the part of Stripe's HTTP API the booking service
 * uses (form-encoded PaymentIntents, refunds, capture and cancel, Idempotency-Key replay,
 * customers and cards saved with `setup_future_usage: off_session`, PaymentIntents confirmed
 * off-session with `payment_method` + `off_session` + `confirm`, refused with Stripe's 402
 * `card_error`) and signed webhook deliveries made with stripe.webhooks.generateTestHeaderString,
 * so the official client and the real signature check run against it. The test plays the guest
 * and the bank through `pay`, `decline`, `startProcessing`, `settleRefund` and `refuseOffSession`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';

export const TEST_SECRET_KEY = 'sk_test_midas_fake';
export const TEST_WEBHOOK_SECRET = 'whsec_midas_fake_secret';

type Params = Record<string, unknown>;

export interface FakeIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  capture_method: 'automatic' | 'manual';
  client_secret: string;
  description: string | null;
  metadata: Record<string, string>;
  status: Stripe.PaymentIntent.Status;
  latest_charge: string | null;
  last_payment_error: {
    code: string;
    message: string;
    type: string;
    decline_code?: string;
    payment_method?: { id: string; object: 'payment_method' };
  } | null;
  customer: string | null;
  payment_method: string | null;
  setup_future_usage: 'off_session' | 'on_session' | null;
  created: number;
  livemode: false;
}

export interface FakeCustomer {
  id: string;
  object: 'customer';
  description: string | null;
  metadata: Record<string, string>;
  created: number;
  livemode: false;
}

/** A card Stripe keeps: attached to a customer when a payment saved it for later. */
export interface FakePaymentMethod {
  id: string;
  object: 'payment_method';
  type: 'card';
  customer: string | null;
  card: { brand: 'visa'; last4: string; exp_month: number; exp_year: number };
  created: number;
}

export interface FakeRefund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  charge: string;
  payment_intent: string;
  status: 'pending' | 'succeeded' | 'failed' | 'canceled';
  /** Set when the refund failed, as Stripe does (`expired_or_canceled_card`, `lost_or_stolen_card`, ...). */
  failure_reason: string | null;
  metadata: Record<string, string>;
  created: number;
}

export interface StripeEventBody {
  id: string;
  object: 'event';
  type: string;
  api_version: string;
  created: number;
  livemode: false;
  pending_webhooks: number;
  request: { id: null; idempotency_key: null };
  data: { object: unknown };
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const now = () => Math.floor(Date.now() / 1000);

/** `metadata[booking_id]=x&amount=5` into `{metadata: {booking_id: 'x'}, amount: '5'}`. */
function parseForm(body: string): Params {
  const out: Params = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, '').split('[');
    let node = out;
    for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Params;
    node[path[path.length - 1]!] = value;
  }
  return out;
}

function errorBody(err: StripeHttpError): unknown {
  return { error: { type: err.type, message: err.message, code: err.code, ...err.extra } };
}

class StripeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    /** More fields of Stripe's error object (`decline_code`, `payment_intent`, ...). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export class FakeStripe {
  readonly intents = new Map<string, FakeIntent>();
  readonly refunds = new Map<string, FakeRefund>();
  readonly customers = new Map<string, FakeCustomer>();
  readonly paymentMethods = new Map<string, FakePaymentMethod>();
  /**
   * While set, PaymentIntents confirmed off-session are refused as the bank would: `card_declined`
   * (decline_code insufficient_funds) or `authentication_required` (the bank wants the guest present).
   */
  refuseOffSession?: 'card_declined' | 'authentication_required';
  /** Every API call, for assertions on idempotency keys and paths. */
  readonly requests: { method: string; path: string; idempotencyKey?: string; replayed: boolean }[] = [];
  /**
   * What a new refund's status is: `succeeded` like most card refunds, `pending` to test
   * charge.refunded, or `failed` (the card was closed: failure_reason `expired_or_canceled_card`).
   */
  refundMode: 'succeeded' | 'pending' | 'failed' = 'succeeded';
  /** While set, every API call matching it answers 500 (an outage of that part of Stripe). */
  outage?: RegExp;
  /** While set, calls matching it are refused with this Stripe error (a 4xx or 5xx of Stripe's own shape). */
  failure?: { match: RegExp; status: number; type: string; message: string };
  /** While set, calls matching it are carried out but their answer is lost (the connection drops). */
  dropResponses?: RegExp;
  private readonly idempotent = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  private readonly stripe = new Stripe(TEST_SECRET_KEY);
  private server?: Server;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `port` reopens a stopped server where the service already points (Stripe back after being unreachable). */
  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ----- the guest and the bank -----

  /**
   * The guest confirms with a card that works: succeeded, or held for a manual-capture intent. An
   * intent with `setup_future_usage` and a customer saves the card to that customer, as Stripe does.
   */
  pay(intentId: string): FakeIntent {
    const pi = this.intent(intentId);
    pi.last_payment_error = null;
    pi.latest_charge = id('ch');
    if (!pi.payment_method) {
      const pm: FakePaymentMethod = {
        id: id('pm'),
        object: 'payment_method',
        type: 'card',
        customer: null,
        card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2034 },
        created: now(),
      };
      this.paymentMethods.set(pm.id, pm);
      pi.payment_method = pm.id;
    }
    if (pi.setup_future_usage && pi.customer)
      this.paymentMethods.get(pi.payment_method)!.customer = pi.customer;
    if (pi.capture_method === 'manual') {
      pi.status = 'requires_capture';
      pi.amount_capturable = pi.amount;
    } else {
      pi.status = 'succeeded';
      pi.amount_received = pi.amount;
    }
    return pi;
  }

  /** The card is declined: the intent goes back to requires_payment_method, open for a retry. */
  decline(intentId: string, message = 'Your card was declined.'): FakeIntent {
    const pi = this.intent(intentId);
    pi.status = 'requires_payment_method';
    pi.last_payment_error = { code: 'card_declined', message, type: 'card_error' };
    return pi;
  }

  /** A bank transfer or a slow card: the money is on its way and the intent can no longer be cancelled. */
  startProcessing(intentId: string): FakeIntent {
    const pi = this.intent(intentId);
    pi.status = 'processing';
    return pi;
  }

  settleRefund(refundId: string, status: 'succeeded' | 'failed' | 'canceled' = 'succeeded'): FakeRefund {
    const refund = this.refunds.get(refundId)!;
    refund.status = status;
    refund.failure_reason = status === 'failed' ? 'expired_or_canceled_card' : null;
    return refund;
  }

  intentFor(bookingId: string, capture: 'automatic' | 'manual' = 'automatic'): FakeIntent | undefined {
    return [...this.intents.values()].find(
      (pi) => pi.metadata.booking_id === bookingId && pi.capture_method === capture,
    );
  }

  /** Every intent of a booking of one capture method, oldest first (a deposit asked for again has several). */
  intentsFor(bookingId: string, capture: 'automatic' | 'manual'): FakeIntent[] {
    return [...this.intents.values()].filter(
      (pi) => pi.metadata.booking_id === bookingId && pi.capture_method === capture,
    );
  }

  refundsOf(intentId: string): FakeRefund[] {
    return [...this.refunds.values()].filter((r) => r.payment_intent === intentId);
  }

  // ----- webhooks -----

  /** An event carrying a snapshot of the object as it is now (later changes do not alter it). */
  event(type: string, object: FakeIntent | FakeRefund | Record<string, unknown>): StripeEventBody {
    return {
      id: id('evt'),
      object: 'event',
      type,
      api_version: '2025-01-01',
      created: now(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object: structuredClone(object) },
    };
  }

  /** The charge.refunded event of an intent, with its charge as Stripe sends it. */
  chargeRefundedEvent(intentId: string): StripeEventBody {
    const pi = this.intent(intentId);
    const refunded = this.refundsOf(intentId)
      .filter((r) => r.status !== 'failed' && r.status !== 'canceled')
      .reduce((sum, r) => sum + r.amount, 0);
    return this.event('charge.refunded', {
      id: pi.latest_charge,
      object: 'charge',
      amount: pi.amount_received,
      amount_refunded: refunded,
      currency: pi.currency,
      payment_intent: pi.id,
      refunded: refunded >= pi.amount_received,
      status: 'succeeded',
    });
  }

  signature(payload: string, opts: { secret?: string; timestamp?: number } = {}): string {
    return this.stripe.webhooks.generateTestHeaderString({
      payload,
      secret: opts.secret ?? TEST_WEBHOOK_SECRET,
      timestamp: opts.timestamp,
    });
  }

  /** POSTs a signed event as Stripe does; `body` overrides the bytes sent (tampering tests). */
  async deliver(
    url: string,
    event: StripeEventBody,
    opts: { secret?: string; timestamp?: number; body?: string; signature?: string } = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const payload = JSON.stringify(event);
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'stripe-signature': opts.signature ?? this.signature(payload, opts),
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      },
      body: opts.body ?? payload,
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  // ----- the API -----

  private intent(intentId: string): FakeIntent {
    const pi = this.intents.get(intentId);
    if (!pi)
      throw new StripeHttpError(
        404,
        'invalid_request_error',
        `No such payment_intent: '${intentId}'`,
        'resource_missing',
      );
    return pi;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://stripe.test');
    const method = req.method ?? 'GET';
    const key = req.headers['idempotency-key'] as string | undefined;
    const send = (status: number, body: unknown, replayed = false) => {
      if (this.dropResponses?.test(`${method} ${url.pathname}`)) {
        res.socket?.destroy();
        return;
      }
      res.writeHead(status, {
        'content-type': 'application/json',
        'request-id': id('req'),
        ...(key ? { 'idempotency-key': key } : {}),
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
      });
      res.end(JSON.stringify(body));
    };
    this.requests.push({ method, path: url.pathname, idempotencyKey: key, replayed: false });
    try {
      if (req.headers.authorization !== `Bearer ${TEST_SECRET_KEY}`) {
        throw new StripeHttpError(401, 'invalid_request_error', 'Invalid API Key provided');
      }
      if (this.outage?.test(`${method} ${url.pathname}`)) {
        throw new StripeHttpError(500, 'api_error', 'An unknown error occurred');
      }
      if (this.failure?.match.test(`${method} ${url.pathname}`)) {
        throw new StripeHttpError(this.failure.status, this.failure.type, this.failure.message);
      }
      const fingerprint = `${method} ${url.pathname} ${raw}`;
      if (key && method === 'POST') {
        const seen = this.idempotent.get(key);
        if (seen) {
          if (seen.fingerprint !== fingerprint) {
            throw new StripeHttpError(
              400,
              'idempotency_error',
              'Keys for idempotent requests can only be used with the same parameters they were first used with.',
            );
          }
          this.requests[this.requests.length - 1]!.replayed = true;
          return send(seen.status, seen.body, true);
        }
      }
      // The official client sends a GET's parameters in the query string, form-encoded like a POST body.
      try {
        const body = this.route(
          method,
          url.pathname,
          parseForm(method === 'GET' ? url.search.slice(1) : raw),
        );
        if (key && method === 'POST') this.idempotent.set(key, { fingerprint, status: 200, body });
        send(200, body);
      } catch (err) {
        // A card refusal happened once the request ran: Stripe replays it for the same key.
        if (key && method === 'POST' && err instanceof StripeHttpError && err.status === 402) {
          this.idempotent.set(key, { fingerprint, status: 402, body: errorBody(err) });
        }
        throw err;
      }
    } catch (err) {
      if (err instanceof StripeHttpError) {
        send(err.status, errorBody(err));
      } else {
        send(500, { error: { type: 'api_error', message: String(err) } });
      }
    }
  }

  private route(method: string, path: string, params: Params): unknown {
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/v1/payment_intents') return this.createIntent(params);
    if (method === 'POST' && path === '/v1/customers') return this.createCustomer(params);
    if (method === 'GET' && (m = /^\/v1\/customers\/([^/]+)$/.exec(path))) {
      const customer = this.customers.get(m[1]!);
      if (!customer)
        throw new StripeHttpError(
          404,
          'invalid_request_error',
          `No such customer: '${m[1]}'`,
          'resource_missing',
        );
      return customer;
    }
    if (method === 'GET' && (m = /^\/v1\/payment_intents\/([^/]+)$/.exec(path))) return this.intent(m[1]!);
    if (method === 'POST' && (m = /^\/v1\/payment_intents\/([^/]+)\/capture$/.exec(path)))
      return this.capture(m[1]!, params);
    if (method === 'POST' && (m = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(path)))
      return this.cancel(m[1]!);
    if (method === 'GET' && path === '/v1/payment_intents')
      return this.list(path, [...this.intents.values()], params);
    if (method === 'GET' && path === '/v1/refunds')
      return this.list(path, [...this.refunds.values()], params);
    if (method === 'POST' && path === '/v1/refunds') return this.createRefund(params);
    if (method === 'GET' && (m = /^\/v1\/refunds\/([^/]+)$/.exec(path))) {
      const refund = this.refunds.get(m[1]!);
      if (!refund)
        throw new StripeHttpError(
          404,
          'invalid_request_error',
          `No such refund: '${m[1]}'`,
          'resource_missing',
        );
      return refund;
    }
    throw new StripeHttpError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path})`);
  }

  /**
   * Stripe's list endpoints: newest first, `created[gte|gt|lte|lt]`, `limit` (1 to 100, default 10)
   * and `starting_after` pagination, answered as `{object: 'list', data, has_more, url}`, which the
   * official client's auto-pagination follows.
   */
  private list<T extends { id: string; created: number }>(path: string, items: T[], params: Params): unknown {
    const limit = params.limit === undefined ? 10 : Number(params.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new StripeHttpError(
        400,
        'invalid_request_error',
        'Invalid integer: limit',
        'parameter_invalid_integer',
      );
    }
    const created = (params.created ?? {}) as Record<string, string>;
    const bound = (key: string) => (created[key] === undefined ? undefined : Number(created[key]));
    const [gte, gt, lte, lt] = [bound('gte'), bound('gt'), bound('lte'), bound('lt')];
    // Newest first; equal seconds keep creation order reversed, as Stripe's ids sort.
    let matching = items
      .map((item, index) => ({ item, index }))
      .filter(
        ({ item }) =>
          (gte === undefined || item.created >= gte) &&
          (gt === undefined || item.created > gt) &&
          (lte === undefined || item.created <= lte) &&
          (lt === undefined || item.created < lt),
      )
      .sort((a, b) => b.item.created - a.item.created || b.index - a.index)
      .map(({ item }) => item);
    if (typeof params.starting_after === 'string') {
      const at = matching.findIndex((item) => item.id === params.starting_after);
      if (at < 0) {
        throw new StripeHttpError(
          400,
          'invalid_request_error',
          `No such object: '${params.starting_after}'`,
          'resource_missing',
        );
      }
      matching = matching.slice(at + 1);
    }
    return { object: 'list', data: matching.slice(0, limit), has_more: matching.length > limit, url: path };
  }

  private createIntent(params: Params): FakeIntent {
    const amount = Number(params.amount);
    if (!Number.isInteger(amount) || amount < 1) {
      throw new StripeHttpError(
        400,
        'invalid_request_error',
        'Invalid integer: amount',
        'parameter_invalid_integer',
      );
    }
    if (typeof params.currency !== 'string' || !/^[a-z]{3}$/.test(params.currency)) {
      throw new StripeHttpError(400, 'invalid_request_error', 'Invalid currency', 'parameter_invalid_string');
    }
    const customer = typeof params.customer === 'string' ? params.customer : null;
    if (customer && !this.customers.has(customer)) {
      throw new StripeHttpError(
        400,
        'invalid_request_error',
        `No such customer: '${customer}'`,
        'resource_missing',
      );
    }
    const paymentMethod = typeof params.payment_method === 'string' ? params.payment_method : null;
    if (paymentMethod && !this.paymentMethods.has(paymentMethod)) {
      throw new StripeHttpError(
        400,
        'invalid_request_error',
        `No such PaymentMethod: '${paymentMethod}'`,
        'resource_missing',
      );
    }
    const offSession = params.off_session === 'true';
    if (offSession && params.confirm !== 'true') {
      throw new StripeHttpError(
        400,
        'invalid_request_error',
        'off_session can only be used when confirm=true.',
        'parameter_invalid_empty',
      );
    }
    if (params.confirm === 'true' && !paymentMethod) {
      throw new StripeHttpError(
        400,
        'invalid_request_error',
        "You cannot confirm this PaymentIntent because it's missing a payment method.",
        'payment_intent_unexpected_state',
      );
    }
    if (offSession && (!customer || this.paymentMethods.get(paymentMethod!)!.customer !== customer)) {
      throw new StripeHttpError(
        400,
        'invalid_request_error',
        'The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again.',
        'payment_method_not_available',
      );
    }
    const piId = id('pi');
    const pi: FakeIntent = {
      id: piId,
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_received: 0,
      currency: params.currency,
      capture_method: params.capture_method === 'manual' ? 'manual' : 'automatic',
      client_secret: `${piId}_secret_${randomBytes(8).toString('hex')}`,
      description: typeof params.description === 'string' ? params.description : null,
      metadata: (params.metadata as Record<string, string>) ?? {},
      status: 'requires_payment_method',
      latest_charge: null,
      last_payment_error: null,
      customer,
      payment_method: paymentMethod,
      setup_future_usage:
        params.setup_future_usage === 'off_session' || params.setup_future_usage === 'on_session'
          ? params.setup_future_usage
          : null,
      created: now(),
      livemode: false,
    };
    this.intents.set(piId, pi);
    if (params.confirm === 'true') this.confirmNow(pi, offSession);
    return pi;
  }

  /** `confirm=true` on creation: the saved card is charged (or held) at once, or refused with a 402. */
  private confirmNow(pi: FakeIntent, offSession: boolean): void {
    const refusal = offSession ? this.refuseOffSession : undefined;
    if (!refusal) {
      this.pay(pi.id);
      return;
    }
    const message =
      refusal === 'card_declined'
        ? 'Your card has insufficient funds.'
        : 'Your card was declined. This transaction requires authentication.';
    pi.status = 'requires_payment_method';
    pi.last_payment_error = {
      code: refusal,
      message,
      type: 'card_error',
      ...(refusal === 'card_declined' ? { decline_code: 'insufficient_funds' } : {}),
      payment_method: { id: pi.payment_method!, object: 'payment_method' },
    };
    throw new StripeHttpError(402, 'card_error', message, refusal, {
      ...(refusal === 'card_declined' ? { decline_code: 'insufficient_funds' } : {}),
      payment_intent: structuredClone(pi),
    });
  }

  private createCustomer(params: Params): FakeCustomer {
    const customer: FakeCustomer = {
      id: id('cus'),
      object: 'customer',
      description: typeof params.description === 'string' ? params.description : null,
      metadata: (params.metadata as Record<string, string>) ?? {},
      created: now(),
      livemode: false,
    };
    this.customers.set(customer.id, customer);
    return customer;
  }

  private capture(intentId: string, params: Params): FakeIntent {
    const pi = this.intent(intentId);
    if (pi.status !== 'requires_capture') {
      throw new StripeHttpError(
        400,
        'invalid_request_error',
        `This PaymentIntent could not be captured because it has a status of ${pi.status}.`,
        'payment_intent_unexpected_state',
      );
    }
    const amount =
      params.amount_to_capture === undefined ? pi.amount_capturable : Number(params.amount_to_capture);
    if (amount > pi.amount_capturable) {
      throw new StripeHttpError(
        400,
        'invalid_request_error',
        'Amount to capture exceeds the capturable amount',
        'amount_too_large',
      );
    }
    pi.amount_received = amount;
    pi.amount_capturable = 0;
    pi.status = 'succeeded';
    return pi;
  }

  private cancel(intentId: string): FakeIntent {
    const pi = this.intent(intentId);
    if (['succeeded', 'canceled', 'processing'].includes(pi.status)) {
      throw new StripeHttpError(
        400,
        'invalid_request_error',
        `You cannot cancel this PaymentIntent because it has a status of ${pi.status}.`,
        'payment_intent_unexpected_state',
      );
    }
    pi.status = 'canceled';
    pi.amount_capturable = 0;
    return pi;
  }

  private createRefund(params: Params): FakeRefund {
    const pi = this.intent(String(params.payment_intent));
    if (pi.status !== 'succeeded' || !pi.latest_charge) {
      throw new StripeHttpError(
        400,
        'invalid_request_error',
        'This PaymentIntent has no charge to refund',
        'charge_not_refundable',
      );
    }
    const already = this.refundsOf(pi.id)
      .filter((r) => r.status !== 'failed' && r.status !== 'canceled')
      .reduce((sum, r) => sum + r.amount, 0);
    const amount = params.amount === undefined ? pi.amount_received - already : Number(params.amount);
    if (amount > pi.amount_received - already) {
      throw new StripeHttpError(
        400,
        'invalid_request_error',
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${pi.amount_received - already})`,
        'amount_too_large',
      );
    }
    const refund: FakeRefund = {
      id: id('re'),
      object: 'refund',
      amount,
      currency: pi.currency,
      charge: pi.latest_charge,
      payment_intent: pi.id,
      status: this.refundMode,
      failure_reason: this.refundMode === 'failed' ? 'expired_or_canceled_card' : null,
      metadata: (params.metadata as Record<string, string>) ?? {},
      created: now(),
    };
    this.refunds.set(refund.id, refund);
    return refund;
  }
}
