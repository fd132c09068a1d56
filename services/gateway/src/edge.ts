/**
 * The gateway's request path for the API: a plain node handler in front of express. A request to
 * a service's route whose caller is known without waiting (a guest, or a token verified before
 * and not yet expired) is traced, limited and forwarded here, with the security and CORS headers
 * express's middleware would set, computed once. Everything else (the docs, the admin board,
 * probes and metrics, preflight requests, unknown paths, a token seen for the first time or a bad
 * one, a declared body over the limit) goes to the express app, which answers it as it always has.
 */
import type { IncomingMessage, RequestListener } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Express, RequestHandler } from 'express';
import proxyaddr from 'proxy-addr';
import type { Logger, Metrics } from '@midas/observability';
import { problem, type Authenticator } from '@midas/http';
import type { Proxy } from './proxy';
import { writeProblem } from './proxy';
import type { RateLimits } from './rate-limit';
import type { upstreamFor } from './route-table';
import type { RequestTracing } from './tracing';

type Upstream = NonNullable<ReturnType<typeof upstreamFor>>;

export const MAX_BODY_BYTES = 100 * 1024;
const REQUEST_ID = /^[\w.-]{1,100}$/;

export interface EdgeOptions {
  app: Express;
  auth: Authenticator;
  limits: RateLimits;
  proxy: Proxy;
  origins: Record<Upstream, string>;
  route: typeof upstreamFor;
  metrics: Metrics;
  logger: Logger;
  tracing: RequestTracing;
  /** Middleware whose headers every answer carries (helmet, CORS); run once to learn them. */
  headerMiddleware: RequestHandler[];
}

/** The request id the gateway answers with and forwards: the client's when well-formed. */
export function requestId(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * The headers middleware sets on a simple GET without an Origin, learned by running it once on a
 * stand-in response: helmet's and CORS's are the same for every such request.
 */
export function staticHeaders(middleware: RequestHandler[]): [string, string | string[]][] {
  const headers = new Map<string, string | string[]>();
  const res = {
    setHeader: (name: string, value: string | number | string[]) => {
      headers.set(name.toLowerCase(), typeof value === 'number' ? String(value) : value);
      return res;
    },
    getHeader: (name: string) => headers.get(name.toLowerCase()),
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
    hasHeader: (name: string) => headers.has(name.toLowerCase()),
  };
  const req = { method: 'GET', headers: {}, url: '/' };
  for (const mw of middleware) {
    let called = false;
    mw(req as never, res as never, () => (called = true));
    if (!called) throw new Error('header middleware must call next() synchronously');
  }
  return [...headers];
}

/** How long a label set's histogram child is looked up for; the label sets are few. */
function durationObserver(metrics: Metrics) {
  const children = new Map<string, ReturnType<Metrics['httpDuration']['labels']>>();
  return (method: string, route: string, status: number, seconds: number) => {
    const key = `${method} ${route} ${status}`;
    let child = children.get(key);
    if (!child) {
      child = metrics.httpDuration.labels({ method, route, status: String(status) });
      children.set(key, child);
    }
    child.observe(seconds);
  };
}

export function edgeHandler(o: EdgeOptions): RequestListener {
  const trust = o.app.get('trust proxy fn') as (addr: string, i: number) => boolean;
  const security = staticHeaders(o.headerMiddleware);
  const observe = durationObserver(o.metrics);
  const known = o.auth.known;

  const protocolOf = (req: IncomingMessage): string => {
    const own = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    if (!trust(req.socket.remoteAddress ?? '', 0)) return own;
    const header = req.headers['x-forwarded-proto'];
    const value = typeof header === 'string' ? header : own;
    const comma = value.indexOf(',');
    return (comma === -1 ? value : value.slice(0, comma)).trim();
  };

  const tooLarge = (req: IncomingMessage) => Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES;

  return (req, res) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const t = o.tracing.start(req, path);
    if (t) res.once('close', () => o.tracing.end(t, res.statusCode));
    const upstream = req.method !== 'OPTIONS' && url.charCodeAt(0) === 47 ? o.route(path) : undefined;
    const principal = upstream && !tooLarge(req) ? known?.(req.headers.authorization) : undefined;
    if (!upstream || !principal) {
      if (t) o.tracing.attach(req, t);
      return o.tracing.run(t, () => o.app(req as never, res as never));
    }

    const started = process.hrtime.bigint();
    const id = requestId(req.headers['x-request-id']);
    req.headers['x-request-id'] = id;
    res.setHeader('x-request-id', id);
    for (const [name, value] of security) res.setHeader(name, value);
    res.once('finish', () => {
      observe(req.method ?? 'GET', upstream, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    const ip = proxyaddr(req, trust);
    const forward = () =>
      o.proxy.forward(o.origins[upstream], req, res, {
        url,
        ip,
        protocol: protocolOf(req),
        traceHeaders: t?.headers ?? {},
      });

    o.tracing.run(t, () => {
      const channel = req.headers['x-goog-channel-id'];
      const verdict = o.limits.check({
        principal,
        method: req.method ?? 'GET',
        path,
        ip,
        channel: typeof channel === 'string' ? channel : undefined,
      });
      if (!verdict) return forward();
      verdict.then(
        (v) => {
          for (const [name, value] of v.headers) res.setHeader(name, value);
          if (v.allowed) return forward();
          res.setHeader('Retry-After', String(v.retryAfter));
          writeProblem(res, problem(429, 'rate_limited', `Too many requests; retry in ${v.retryAfter} s`));
        },
        (err: unknown) => {
          o.logger.error({ err, method: req.method, url }, 'unexpected error');
          writeProblem(res, problem(500, 'internal', 'Something went wrong on our side; it has been logged'));
        },
      );
    });
  };
}
