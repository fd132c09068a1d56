/**
 * A small PayPal-compatible server for tests: OAuth client credentials, Orders v2 (create, read,
 * capture, authorize), authorizations (capture, void), capture refunds and webhook signature
 * verification, honouring PayPal-Request-Id, so the official server SDK runs against it. The test
 * plays the payer with `approve`, PayPal's risk checks with `captureOutcome`/`authorizationOutcome`
 * and `settleCapture`, and PayPal's webhook sender with `event` and `deliver`.
 *
 * Webhooks: PayPal signs `<transmission id>|<transmission time>|<webhook id>|<CRC32 of the body>`
 * with its certificate; this fake signs the same string with an HMAC only it knows, so only its own
 * POST /v1/notifications/verify-webhook-signature can say SUCCESS, as only PayPal's can.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const PAYPAL_CLIENT_ID = 'midas-fake-client';
export const PAYPAL_CLIENT_SECRET = 'midas-fake-secret';

interface Money {
  currency_code: string;
  value: string;
}

export const PAYPAL_WEBHOOK_ID = '8PT597110X687430LKGECATA';

export interface FakeCapture {
  id: string;
  status: 'COMPLETED' | 'PENDING' | 'DECLINED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';
  status_details?: { reason: string };
  amount: Money;
  final_capture: boolean;
  supplementary_data: { related_ids: { order_id: string; authorization_id?: string } };
  links: { href: string; rel: string; method: string }[];
}

export interface FakeAuthorization {
  id: string;
  status: 'CREATED' | 'PENDING' | 'DENIED' | 'CAPTURED' | 'PARTIALLY_CAPTURED' | 'VOIDED';
  amount: Money;
  expiration_time: string;
  supplementary_data: { related_ids: { order_id: string } };
  links: { href: string; rel: string; method: string }[];
}

export interface PayPalWebhookEvent {
  id: string;
  event_version: '1.0';
  create_time: string;
  resource_type: string;
  resource_version: '2.0';
  event_type: string;
  summary: string;
  resource: Record<string, unknown>;
}

export interface FakeOrder {
  id: string;
  intent: 'CAPTURE' | 'AUTHORIZE';
  status: 'CREATED' | 'APPROVED' | 'COMPLETED';
  purchase_units: {
    reference_id?: string;
    custom_id?: string;
    description?: string;
    amount: Money;
    payments?: { captures?: FakeCapture[]; authorizations?: FakeAuthorization[] };
  }[];
  links: { href: string; rel: string; method: string }[];
  create_time: string;
}

export interface FakePayPalRefund {
  id: string;
  status: 'COMPLETED' | 'PENDING' | 'FAILED';
  amount: Money;
  invoice_id?: string;
  note_to_payer?: string;
  capture_id: string;
  links?: { href: string; rel: string; method: string }[];
}

/** Request bodies as the SDK sends them (snake_case JSON). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

const id = (n = 17) => randomBytes(n).toString('hex').slice(0, n).toUpperCase();

class PayPalHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorName: string,
    readonly issue: string,
  ) {
    super(issue);
  }
}

/** CRC32 (IEEE), the checksum PayPal signs webhook bodies by. */
function crc32(text: string): number {
  let crc = ~0;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

export class FakePayPal {
  readonly orders = new Map<string, FakeOrder>();
  readonly refunds = new Map<string, FakePayPalRefund>();
  /** Authorisations reauthorised, to the id of the authorisation that renewed each. */
  readonly reauthorized = new Map<string, string>();
  /** The webhook subscription events are sent for; verification fails for any other id. */
  webhookId = PAYPAL_WEBHOOK_ID;
  /** What the next captures end as (PayPal's risk checks): completed, held pending, or declined. */
  captureOutcome: 'COMPLETED' | 'PENDING' | 'DECLINED' = 'COMPLETED';
  /** What the next authorizations end as: created (the money is held) or denied (card declined). */
  authorizationOutcome: 'CREATED' | 'DENIED' = 'CREATED';
  /** Signature verifications answered, by outcome. */
  readonly verifications: ('SUCCESS' | 'FAILURE')[] = [];
  private readonly signingKey = randomBytes(32);
  readonly requests: { method: string; path: string; requestId?: string; replayed: boolean }[] = [];
  /** Access tokens handed out, so tests can look for them where they must not be. */
  readonly tokens = new Set<string>();
  /** While set, calls matching `METHOD /path` (the OAuth token call included) answer this PayPal error. */
  failure?: { match: RegExp; status: number; name: string };
  private readonly replies = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  private server?: Server;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `port` reopens a stopped server where the service already points (PayPal back after being unreachable). */
  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The payer approves the order in PayPal's window. */
  approve(orderId: string): void {
    const order = this.orders.get(orderId)!;
    if (order.status === 'CREATED') order.status = 'APPROVED';
  }

  orderFor(bookingId: string, intent: 'CAPTURE' | 'AUTHORIZE' = 'CAPTURE'): FakeOrder | undefined {
    return [...this.orders.values()].find(
      (o) => o.purchase_units[0]!.custom_id === bookingId && o.intent === intent,
    );
  }

  ordersFor(bookingId: string): FakeOrder[] {
    return [...this.orders.values()].filter((o) => o.purchase_units[0]!.custom_id === bookingId);
  }

  captureOf(orderId: string): FakeCapture | undefined {
    return this.orders.get(orderId)?.purchase_units[0]!.payments?.captures?.[0];
  }

  authorizationOf(orderId: string): FakeAuthorization | undefined {
    return this.orders.get(orderId)?.purchase_units[0]!.payments?.authorizations?.[0];
  }

  /** A capture held for review settles later (PayPal then sends PAYMENT.CAPTURE.COMPLETED or DENIED). */
  settleCapture(captureId: string, status: 'COMPLETED' | 'DECLINED'): FakeCapture {
    const capture = this.captureById(captureId);
    capture.status = status;
    delete capture.status_details;
    return capture;
  }

  // ----- webhooks -----

  /** An event as PayPal sends it, carrying a snapshot of the resource as it is now. */
  event(eventType: string, resource: object): PayPalWebhookEvent {
    const type = eventType.startsWith('PAYMENT.AUTHORIZATION')
      ? 'authorization'
      : eventType === 'PAYMENT.CAPTURE.REFUNDED' && 'capture_id' in resource
        ? 'refund'
        : 'capture';
    return {
      id: `WH-${id(17)}-${id(17)}`,
      event_version: '1.0',
      create_time: new Date().toISOString(),
      resource_type: type,
      resource_version: '2.0',
      event_type: eventType,
      summary: `${eventType} (fake)`,
      resource: structuredClone(resource) as Record<string, unknown>,
    };
  }

  /** The headers PayPal sends with a webhook body, signed for `webhookId`. */
  signatureHeaders(body: string, opts: { webhookId?: string } = {}): Record<string, string> {
    const transmissionId = randomUUID();
    const time = new Date().toISOString();
    const signed = `${transmissionId}|${time}|${opts.webhookId ?? this.webhookId}|${crc32(body)}`;
    return {
      'paypal-auth-algo': 'SHA256withRSA',
      'paypal-cert-url': `${this.url}/v1/notifications/certs/CERT-360caa42-fca2a594-fake`,
      'paypal-transmission-id': transmissionId,
      'paypal-transmission-time': time,
      'paypal-transmission-sig': createHmac('sha256', this.signingKey).update(signed).digest('base64'),
    };
  }

  /** POSTs an event as PayPal does; `body` and `headers` override what is sent (tampering tests). */
  async deliver(
    url: string,
    event: PayPalWebhookEvent,
    opts: { body?: string; headers?: Record<string, string>; webhookId?: string } = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const payload = JSON.stringify(event);
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'PayPal/AUHD-214.0-58395033',
        ...this.signatureHeaders(payload, opts),
        ...opts.headers,
      },
      body: opts.body ?? payload,
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  refundsOf(captureId: string): FakePayPalRefund[] {
    return [...this.refunds.values()].filter((r) => r.capture_id === captureId);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://paypal.test');
    const method = req.method ?? 'GET';
    const requestId = req.headers['paypal-request-id'] as string | undefined;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'paypal-debug-id': id(13).toLowerCase() });
      res.end(JSON.stringify(body));
    };
    this.requests.push({ method, path: url.pathname, requestId, replayed: false });
    try {
      if (this.failure?.match.test(`${method} ${url.pathname}`)) {
        throw new PayPalHttpError(
          this.failure.status,
          this.failure.name,
          `${this.failure.name} (fake failure)`,
        );
      }
      if (method === 'POST' && url.pathname === '/v1/oauth2/token') return send(200, this.token(req, raw));
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer || !this.tokens.has(bearer))
        throw new PayPalHttpError(401, 'AUTHENTICATION_FAILURE', 'INVALID_TOKEN');
      const fingerprint = `${method} ${url.pathname} ${raw}`;
      const key = requestId && method === 'POST' ? `${url.pathname}|${requestId}` : undefined;
      const seen = key ? this.replies.get(key) : undefined;
      if (seen && seen.fingerprint === fingerprint) {
        this.requests[this.requests.length - 1]!.replayed = true;
        return send(seen.status, seen.body);
      }
      const [status, body] = this.route(method, url.pathname, raw ? (JSON.parse(raw) as Body) : {});
      if (key) this.replies.set(key, { fingerprint, status, body });
      if (status === 204) {
        res.writeHead(204, { 'paypal-debug-id': id(13).toLowerCase() });
        return void res.end();
      }
      send(status, body);
    } catch (err) {
      if (err instanceof PayPalHttpError) {
        send(err.status, {
          name: err.errorName,
          message: err.issue,
          debug_id: id(13).toLowerCase(),
          details: [{ issue: err.issue, description: err.issue }],
        });
      } else {
        send(500, { name: 'INTERNAL_SERVER_ERROR', message: String(err) });
      }
    }
  }

  private token(req: IncomingMessage, raw: string) {
    const expected = `Basic ${Buffer.from(`${PAYPAL_CLIENT_ID}:${PAYPAL_CLIENT_SECRET}`).toString('base64')}`;
    if (
      req.headers.authorization !== expected ||
      new URLSearchParams(raw).get('grant_type') !== 'client_credentials'
    ) {
      throw new PayPalHttpError(401, 'invalid_client', 'Client Authentication failed');
    }
    const accessToken = `A21AA${id(40)}`;
    this.tokens.add(accessToken);
    return {
      scope: 'https://uri.paypal.com/services/payments/payment',
      access_token: accessToken,
      token_type: 'Bearer',
      app_id: 'APP-FAKE',
      expires_in: 32400,
      nonce: id(20),
    };
  }

  private route(method: string, path: string, body: Body): [number, unknown] {
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/v2/checkout/orders') return [201, this.createOrder(body)];
    if (method === 'GET' && (m = /^\/v2\/checkout\/orders\/([^/]+)$/.exec(path)))
      return [200, this.order(m[1]!)];
    if (method === 'POST' && (m = /^\/v2\/checkout\/orders\/([^/]+)\/capture$/.exec(path)))
      return [201, this.capture(m[1]!)];
    if (method === 'POST' && (m = /^\/v2\/checkout\/orders\/([^/]+)\/authorize$/.exec(path)))
      return [201, this.authorize(m[1]!)];
    if (method === 'GET' && (m = /^\/v2\/payments\/authorizations\/([^/]+)$/.exec(path)))
      return [200, this.authorizationById(m[1]!)];
    if (method === 'POST' && (m = /^\/v2\/payments\/authorizations\/([^/]+)\/capture$/.exec(path)))
      return [201, this.captureAuthorization(m[1]!, body)];
    if (method === 'POST' && (m = /^\/v2\/payments\/authorizations\/([^/]+)\/void$/.exec(path)))
      return this.voidAuthorization(m[1]!);
    if (method === 'POST' && (m = /^\/v2\/payments\/authorizations\/([^/]+)\/reauthorize$/.exec(path)))
      return [201, this.reauthorize(m[1]!, body)];
    if (method === 'GET' && (m = /^\/v2\/payments\/captures\/([^/]+)$/.exec(path)))
      return [200, this.captureById(m[1]!)];
    if (method === 'POST' && path === '/v1/notifications/verify-webhook-signature')
      return [200, this.verify(body)];
    if (method === 'POST' && (m = /^\/v2\/payments\/captures\/([^/]+)\/refund$/.exec(path)))
      return [201, this.refund(m[1]!, body)];
    if (method === 'GET' && (m = /^\/v2\/payments\/refunds\/([^/]+)$/.exec(path))) {
      const refund = this.refunds.get(m[1]!);
      if (!refund) throw new PayPalHttpError(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID');
      return [200, refund];
    }
    throw new PayPalHttpError(404, 'NOT_FOUND', 'INVALID_RESOURCE_ID');
  }

  private order(orderId: string): FakeOrder {
    const order = this.orders.get(orderId);
    if (!order) throw new PayPalHttpError(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID');
    return order;
  }

  private createOrder(body: Body): FakeOrder {
    const unit = body.purchase_units?.[0];
    if (
      !['CAPTURE', 'AUTHORIZE'].includes(body.intent) ||
      !unit?.amount?.value ||
      !/^\d+(\.\d{1,3})?$/.test(unit.amount.value)
    ) {
      throw new PayPalHttpError(400, 'INVALID_REQUEST', 'INVALID_PARAMETER_VALUE');
    }
    const orderId = id();
    const order: FakeOrder = {
      id: orderId,
      intent: body.intent,
      status: 'CREATED',
      purchase_units: [
        {
          reference_id: unit.reference_id,
          custom_id: unit.custom_id,
          description: unit.description,
          amount: unit.amount,
        },
      ],
      links: [
        { href: `${this.url}/v2/checkout/orders/${orderId}`, rel: 'self', method: 'GET' },
        {
          href: `https://www.sandbox.paypal.com/checkoutnow?token=${orderId}`,
          rel: 'approve',
          method: 'GET',
        },
      ],
      create_time: new Date().toISOString(),
    };
    this.orders.set(orderId, order);
    return order;
  }

  private newCapture(orderId: string, amount: Money, authorizationId?: string): FakeCapture {
    const captureId = id();
    return {
      id: captureId,
      status: this.captureOutcome,
      ...(this.captureOutcome === 'PENDING' ? { status_details: { reason: 'PENDING_REVIEW' } } : {}),
      amount,
      final_capture: true,
      supplementary_data: {
        related_ids: { order_id: orderId, ...(authorizationId ? { authorization_id: authorizationId } : {}) },
      },
      links: [
        { href: `${this.url}/v2/payments/captures/${captureId}`, rel: 'self', method: 'GET' },
        { href: `${this.url}/v2/checkout/orders/${orderId}`, rel: 'up', method: 'GET' },
      ],
    };
  }

  private capture(orderId: string): FakeOrder {
    const order = this.order(orderId);
    if (order.intent !== 'CAPTURE')
      throw new PayPalHttpError(422, 'UNPROCESSABLE_ENTITY', 'ACTION_DOES_NOT_MATCH_INTENT');
    if (order.status === 'COMPLETED')
      throw new PayPalHttpError(422, 'UNPROCESSABLE_ENTITY', 'ORDER_ALREADY_CAPTURED');
    if (order.status !== 'APPROVED')
      throw new PayPalHttpError(422, 'UNPROCESSABLE_ENTITY', 'ORDER_NOT_APPROVED');
    order.status = 'COMPLETED';
    const unit = order.purchase_units[0]!;
    unit.payments = { captures: [this.newCapture(orderId, unit.amount)] };
    return order;
  }

  private authorize(orderId: string): FakeOrder {
    const order = this.order(orderId);
    if (order.intent !== 'AUTHORIZE')
      throw new PayPalHttpError(422, 'UNPROCESSABLE_ENTITY', 'ACTION_DOES_NOT_MATCH_INTENT');
    if (order.status === 'COMPLETED')
      throw new PayPalHttpError(422, 'UNPROCESSABLE_ENTITY', 'ORDER_ALREADY_AUTHORIZED');
    if (order.status !== 'APPROVED')
      throw new PayPalHttpError(422, 'UNPROCESSABLE_ENTITY', 'ORDER_NOT_APPROVED');
    order.status = 'COMPLETED';
    const unit = order.purchase_units[0]!;
    const authorizationId = id();
    unit.payments = {
      authorizations: [
        {
          id: authorizationId,
          status: this.authorizationOutcome,
          amount: unit.amount,
          // PayPal keeps an authorisation 29 days, honouring it in full for the first 3.
          expiration_time: new Date(Date.now() + 29 * 86_400_000).toISOString(),
          supplementary_data: { related_ids: { order_id: orderId } },
          links: [
            { href: `${this.url}/v2/payments/authorizations/${authorizationId}`, rel: 'self', method: 'GET' },
            { href: `${this.url}/v2/checkout/orders/${orderId}`, rel: 'up', method: 'GET' },
          ],
        },
      ],
    };
    return order;
  }

  private authorizationById(authorizationId: string): FakeAuthorization {
    for (const order of this.orders.values()) {
      const found = order.purchase_units[0]!.payments?.authorizations?.find((a) => a.id === authorizationId);
      if (found) return found;
    }
    throw new PayPalHttpError(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID');
  }

  private captureAuthorization(authorizationId: string, body: Body): FakeCapture {
    const authorization = this.authorizationById(authorizationId);
    if (authorization.status !== 'CREATED')
      throw new PayPalHttpError(422, 'UNPROCESSABLE_ENTITY', 'AUTHORIZATION_ALREADY_CAPTURED');
    const cents = (v: string) => Math.round(Number(v) * 100);
    const amount: Money = body.amount ?? authorization.amount;
    if (cents(amount.value) > cents(authorization.amount.value))
      throw new PayPalHttpError(422, 'UNPROCESSABLE_ENTITY', 'MAX_CAPTURE_AMOUNT_EXCEEDED');
    const orderId = authorization.supplementary_data.related_ids.order_id;
    const capture = this.newCapture(orderId, amount, authorizationId);
    const payments = this.orders.get(orderId)!.purchase_units[0]!.payments!;
    payments.captures = [...(payments.captures ?? []), capture];
    authorization.status =
      cents(amount.value) < cents(authorization.amount.value) ? 'PARTIALLY_CAPTURED' : 'CAPTURED';
    return capture;
  }

  /**
   * PayPal's reauthorisation: a new authorisation of the (same or smaller) amount, listed after
   * the one it renews; a reauthorisation cannot itself be reauthorised, and only a live
   * authorisation can be.
   */
  private reauthorize(authorizationId: string, body: Body): FakeAuthorization {
    const original = this.authorizationById(authorizationId);
    if (original.status !== 'CREATED')
      throw new PayPalHttpError(422, 'UNPROCESSABLE_ENTITY', 'AUTHORIZATION_VOIDED');
    if (this.reauthorized.has(authorizationId) || [...this.reauthorized.values()].includes(authorizationId))
      throw new PayPalHttpError(422, 'UNPROCESSABLE_ENTITY', 'MAX_NUMBER_OF_REAUTHORIZATIONS_ALLOWED');
    const cents = (v: string) => Math.round(Number(v) * 100);
    const amount: Money = body.amount ?? original.amount;
    if (cents(amount.value) > cents(original.amount.value))
      throw new PayPalHttpError(422, 'UNPROCESSABLE_ENTITY', 'REAUTHORIZATION_AMOUNT_EXCEEDED');
    const orderId = original.supplementary_data.related_ids.order_id;
    const renewedId = id();
    const renewed: FakeAuthorization = {
      id: renewedId,
      status: 'CREATED',
      amount,
      expiration_time: original.expiration_time,
      supplementary_data: { related_ids: { order_id: orderId } },
      links: [
        { href: `${this.url}/v2/payments/authorizations/${renewedId}`, rel: 'self', method: 'GET' },
        { href: `${this.url}/v2/checkout/orders/${orderId}`, rel: 'up', method: 'GET' },
      ],
    };
    this.reauthorized.set(authorizationId, renewedId);
    const payments = this.orders.get(orderId)!.purchase_units[0]!.payments!;
    payments.authorizations = [...(payments.authorizations ?? []), renewed];
    return renewed;
  }

  private voidAuthorization(authorizationId: string): [number, unknown] {
    const authorization = this.authorizationById(authorizationId);
    if (authorization.status === 'VOIDED') return [204, null];
    if (authorization.status !== 'CREATED' && authorization.status !== 'PENDING')
      throw new PayPalHttpError(422, 'UNPROCESSABLE_ENTITY', 'CANNOT_BE_VOIDED');
    authorization.status = 'VOIDED';
    return [204, null];
  }

  /** PayPal's check of a webhook delivery: the signature of what was sent, for this webhook id. */
  private verify(body: Body): { verification_status: 'SUCCESS' | 'FAILURE' } {
    for (const field of [
      'auth_algo',
      'cert_url',
      'transmission_id',
      'transmission_sig',
      'transmission_time',
    ]) {
      if (typeof body[field] !== 'string' || !body[field])
        throw new PayPalHttpError(400, 'VALIDATION_ERROR', `MISSING_REQUIRED_PARAMETER ${field}`);
    }
    if (typeof body.webhook_id !== 'string' || typeof body.webhook_event !== 'object')
      throw new PayPalHttpError(400, 'VALIDATION_ERROR', 'MISSING_REQUIRED_PARAMETER webhook_id');
    const signed = `${body.transmission_id}|${body.transmission_time}|${body.webhook_id}|${crc32(JSON.stringify(body.webhook_event))}`;
    const expected = createHmac('sha256', this.signingKey).update(signed).digest('base64');
    const outcome =
      body.webhook_id === this.webhookId && body.transmission_sig === expected ? 'SUCCESS' : 'FAILURE';
    this.verifications.push(outcome);
    return { verification_status: outcome };
  }

  private captureById(captureId: string): FakeCapture {
    for (const order of this.orders.values()) {
      const capture = order.purchase_units[0]!.payments?.captures?.find((c) => c.id === captureId);
      if (capture) return capture;
    }
    throw new PayPalHttpError(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID');
  }

  private refund(captureId: string, body: Body): FakePayPalRefund {
    const capture = this.captureById(captureId);
    const cents = (v: string) => Math.round(Number(v) * 100);
    const already = this.refundsOf(captureId).reduce((sum, r) => sum + cents(r.amount.value), 0);
    const amount: Money = body.amount ?? {
      currency_code: capture.amount.currency_code,
      value: ((cents(capture.amount.value) - already) / 100).toFixed(2),
    };
    if (amount.currency_code !== capture.amount.currency_code)
      throw new PayPalHttpError(422, 'UNPROCESSABLE_ENTITY', 'CURRENCY_MISMATCH');
    if (cents(amount.value) > cents(capture.amount.value) - already) {
      throw new PayPalHttpError(422, 'UNPROCESSABLE_ENTITY', 'REFUND_AMOUNT_EXCEEDED');
    }
    const refund: FakePayPalRefund = {
      id: id(),
      status: 'COMPLETED',
      amount,
      invoice_id: body.invoice_id,
      note_to_payer: body.note_to_payer,
      capture_id: captureId,
      links: [{ href: `${this.url}/v2/payments/captures/${captureId}`, rel: 'up', method: 'GET' }],
    };
    this.refunds.set(refund.id, refund);
    capture.status =
      already + cents(amount.value) >= cents(capture.amount.value) ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    return refund;
  }
}
