/**
 * Forwarding to the services: one undici Pool of keep-alive connections per upstream, both bodies
 * streamed, the client's address and the trace context handed on, 502 when the service does not
 * answer.
 */
import { pipeline } from 'node:stream';
import type { IncomingHttpHeaders } from 'node:http';
import type { Request, Response } from 'express';
import { Pool } from 'undici';
import { traceContextHeaders, type Logger } from '@midas/observability';
import { problem, sendProblem } from '@midas/http';

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

export interface Proxy {
  /** Forwards the request to the service at `origin`. */
  forward: (origin: string, req: Request, res: Response) => void;
  close: () => Promise<void>;
}

function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

function forwardedHeaders(req: Request): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  // The client's address as the gateway established it (trusted proxies only), nothing it claimed.
  if (req.ip) out['x-forwarded-for'] = req.ip;
  out['x-forwarded-proto'] = req.protocol;
  if (req.headers.host) out['x-forwarded-host'] = req.headers.host;
  // The gateway's request span is the parent of the service's (see telemetry.ts).
  Object.assign(out, traceContextHeaders());
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

  const upstreamFailed = (err: unknown, res: Response) => {
    options.logger.warn({ err }, 'upstream error');
    if (!res.headersSent) {
      sendProblem(
        res,
        problem(502, 'upstream_unavailable', 'The service behind this route did not answer; retry shortly'),
      );
    } else {
      res.destroy();
    }
  };

  const forward = (origin: string, req: Request, res: Response) => {
    const aborted = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) aborted.abort();
    });
    poolFor(origin)
      .request({
        path: req.originalUrl,
        method: req.method as 'GET',
        headers: forwardedHeaders(req),
        body: hasBody(req) ? req : undefined,
        signal: aborted.signal,
      })
      .then(
        ({ statusCode, headers, body }) => {
          res.statusCode = statusCode;
          for (const [name, value] of Object.entries(headers)) {
            // The gateway's own security headers stand; the rest is the service's answer.
            if (value === undefined || HOP_BY_HOP.has(name) || res.hasHeader(name)) continue;
            res.setHeader(name, value);
          }
          pipeline(body, res, (err) => {
            if (err && !aborted.signal.aborted) options.logger.debug({ err }, 'response stream ended early');
          });
        },
        (err: unknown) => {
          if (aborted.signal.aborted) return;
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
