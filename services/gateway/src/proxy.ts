/**
 * Forwarding to the services: one undici Pool of keep-alive connections per upstream, both bodies
 * streamed, the client's address and the trace context handed on, 502 when the service does not
 * answer.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Pool } from 'undici';
import type { Logger } from '@midas/observability';
import { problem, type Problem } from '@midas/http';

/** Headers that describe one connection, not the message: never forwarded either way. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

export interface ProxyOptions {
  logger: Logger;
  /** Longest wait for an upstream's response headers, and between two chunks of its body. */
  timeoutMs: number;
  /** Connections kept per upstream. */
  connections?: number;
}

/** What the gateway established about a request before forwarding it. */
export interface Forwarding {
  /** The path and query to ask the service for. */
  url: string;
  /** The client's address as the gateway established it (trusted proxies only). */
  ip: string | undefined;
  protocol: string;
  /** The trace context to hand on (the gateway's own span); the client's headers when empty. */
  traceHeaders: Record<string, string>;
}

export interface Proxy {
  /** Forwards the request to the service at `origin`. */
  forward: (origin: string, req: IncomingMessage, res: ServerResponse, f: Forwarding) => void;
  close: () => Promise<void>;
}

/** A problem+json answer written on a plain node response. */
export function writeProblem(res: ServerResponse, p: Problem): void {
  const body = JSON.stringify(p);
  res.statusCode = p.status;
  res.setHeader('content-type', 'application/problem+json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

function forwardedHeaders(req: IncomingMessage, f: Forwarding): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  const incoming = req.headers;
  for (const name in incoming) {
    const value = incoming[name];
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  // The client's address as the gateway established it (trusted proxies only), nothing it claimed.
  if (f.ip) out['x-forwarded-for'] = f.ip;
  out['x-forwarded-proto'] = f.protocol;
  if (incoming.host) out['x-forwarded-host'] = incoming.host;
  // The gateway's request span is the parent of the service's (see tracing.ts).
  for (const name in f.traceHeaders) out[name] = f.traceHeaders[name];
  return out;
}

export function createProxy(options: ProxyOptions): Proxy {
  const pools = new Map<string, Pool>();
  const poolFor = (origin: string) => {
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: options.connections ?? 128,
        keepAliveTimeout: 30_000,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      pools.set(origin, pool);
    }
    return pool;
  };

  const upstreamFailed = (err: unknown, res: ServerResponse) => {
    options.logger.warn({ err }, 'upstream error');
    if (!res.headersSent) {
      writeProblem(
        res,
        problem(502, 'upstream_unavailable', 'The service behind this route did not answer; retry shortly'),
      );
    } else {
      res.destroy();
    }
  };

  const forward = (origin: string, req: IncomingMessage, res: ServerResponse, f: Forwarding) => {
    const aborted = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) aborted.abort();
    });
    // undici writes the service's body straight into the client's response: no intermediate
    // stream per request.
    poolFor(origin).stream(
      {
        path: f.url,
        method: req.method as 'GET',
        headers: forwardedHeaders(req, f),
        body: hasBody(req) ? req : undefined,
        signal: aborted.signal,
      },
      ({ statusCode, headers }) => {
        res.statusCode = statusCode;
        for (const name in headers) {
          const value = headers[name];
          // The gateway's own security headers stand; the rest is the service's answer.
          if (value === undefined || HOP_BY_HOP.has(name) || res.hasHeader(name)) continue;
          res.setHeader(name, value);
        }
        return res;
      },
      (err) => {
        if (!err || aborted.signal.aborted) return;
        if (res.headersSent) options.logger.debug({ err }, 'response stream ended early');
        upstreamFailed(err, res);
      },
    );
  };

  return {
    forward,
    close: async () => {
      await Promise.all([...pools.values()].map((p) => p.close().catch(() => p.destroy())));
      pools.clear();
    },
  };
}
