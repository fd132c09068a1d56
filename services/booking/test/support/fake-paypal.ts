/**
 * A small PayPal-compatible server for tests: OAuth client credentials, Orders v2 (create, read,
 * capture) and capture refunds, honouring PayPal-Request-Id, so the official server SDK runs
 * against it. The test plays the payer with `approve`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export const PAYPAL_CLIENT_ID = 'midas-fake-client';
export const PAYPAL_CLIENT_SECRET = 'midas-fake-secret';

interface Money {
  currency_code: string;
  value: string;
}

export interface FakeCapture {
  id: string;
  status: 'COMPLETED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';
  amount: Money;
  final_capture: true;
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
    payments?: { captures: FakeCapture[] };
  }[];
  links: { href: string; rel: string; method: string }[];
  create_time: string;
}

export interface FakePayPalRefund {
  id: string;
  status: 'COMPLETED';
  amount: Money;
  invoice_id?: string;
  note_to_payer?: string;
  capture_id: string;
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

export class FakePayPal {
  readonly orders = new Map<string, FakeOrder>();
  readonly refunds = new Map<string, FakePayPalRefund>();
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

  orderFor(bookingId: string): FakeOrder | undefined {
    return [...this.orders.values()].find((o) => o.purchase_units[0]!.custom_id === bookingId);
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

  private capture(orderId: string): FakeOrder {
    const order = this.order(orderId);
    if (order.status === 'COMPLETED')
      throw new PayPalHttpError(422, 'UNPROCESSABLE_ENTITY', 'ORDER_ALREADY_CAPTURED');
    if (order.status !== 'APPROVED')
      throw new PayPalHttpError(422, 'UNPROCESSABLE_ENTITY', 'ORDER_NOT_APPROVED');
    order.status = 'COMPLETED';
    const unit = order.purchase_units[0]!;
    unit.payments = {
      captures: [{ id: id(), status: 'COMPLETED', amount: unit.amount, final_capture: true }],
    };
    return order;
  }

  private captureById(captureId: string): FakeCapture {
    for (const order of this.orders.values()) {
      const capture = order.purchase_units[0]!.payments?.captures.find((c) => c.id === captureId);
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
    };
    this.refunds.set(refund.id, refund);
    capture.status =
      already + cents(amount.value) >= cents(capture.amount.value) ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    return refund;
  }
}
