/**
 * A service's server span per request, made here rather than by the HTTP and express
 * instrumentations: the sampler decides first (parent-based samplers follow the incoming
 * traceparent's sampled flag), and a request it leaves out costs a span id and a context with no
 * attributes computed. The request still runs in that context, so log lines carry its trace id
 * and the next hop (undici, RabbitMQ) receives the traceparent with the unsampled flag, and the
 * whole trace is recorded or left out together.
 *
 * A request left out that ends in a 5xx or takes longer than the slow threshold is recorded
 * anyway once it ends: a span with its real start and end, its attributes, and
 * `midas.trace.recorded_after` saying why, so failures are seen whatever the sampling ratio.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { lateTracer, slowRequestMs, telemetryStarted } from './telemetry';

/** Probes and scrapes would otherwise be most of the traces. */
const UNTRACED = /^\/(healthz|readyz|metrics)\b/;

export function isTraced(path: string): boolean {
  return !UNTRACED.test(path);
}

export interface ServerSpanOptions {
  /** The tracer's name, e.g. `midas-availability`. */
  name: string;
  /** The matched route at the end of the request (`/v1/items/:id`), for the span name and `http.route`. */
  route: (req: IncomingMessage) => string;
}

interface Ended {
  /** The matched route, when the process knows it. */
  route?: string;
  status: number;
  endTime: number;
}

export function requestAttributes(req: IncomingMessage, path: string): Attributes {
  const agent = req.headers['user-agent'];
  return {
    'http.request.method': req.method ?? 'GET',
    'url.path': path,
    'url.scheme': 'http',
    'network.peer.address': req.socket.remoteAddress ?? '',
    ...(agent ? { 'user_agent.original': agent } : {}),
  };
}

/** Whether the request carries a body to be read (RFC 9112: a length above 0, or chunked). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

function finish(span: Span, req: IncomingMessage, e: Ended): void {
  if (e.route !== undefined) {
    span.updateName(`${req.method ?? 'GET'} ${e.route}`);
    span.setAttribute('http.route', e.route);
  }
  span.setAttribute('http.response.status_code', e.status);
  if (e.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end(e.endTime);
}

/** What an unsampled request's span is recorded from once the request has ended. */
export interface UnsampledRequest {
  req: IncomingMessage;
  path: string;
  /** The context extracted from the request's headers: the caller's span, if any. */
  parent: Context;
  /** Epoch ms. */
  startTime: number;
}

/**
 * Records the span of a request the sampler left out, after the fact, when it failed (5xx) or
 * took at least MIDAS_TRACE_SLOW_MS: with the incoming parent when there was one, so it joins the
 * caller's trace, and `midas.trace.recorded_after` saying why. Returns whether it recorded one.
 */
export function recordUnsampled(r: UnsampledRequest, e: Ended): boolean {
  const tracer = lateTracer();
  const slow = slowRequestMs();
  const reason = e.status >= 500 ? 'error' : slow > 0 && e.endTime - r.startTime >= slow ? 'slow' : undefined;
  if (!tracer || !reason) return false;
  const span = tracer.startSpan(
    r.req.method ?? 'GET',
    {
      kind: SpanKind.SERVER,
      startTime: r.startTime,
      attributes: { ...requestAttributes(r.req, r.path), 'midas.trace.recorded_after': reason },
    },
    r.parent,
  );
  finish(span, r.req, e);
  return true;
}

/**
 * Starts a request's server span under the caller's traceparent, if any; the sampler decides
 * before any attribute is computed.
 */
export function startServerSpan(
  tracer: Tracer,
  req: IncomingMessage,
): { span: Span; parent: Context; startTime: number } {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const startTime = Date.now();
  const span = tracer.startSpan(req.method ?? 'GET', { kind: SpanKind.SERVER, startTime }, parent);
  return { span, parent, startTime };
}

/**
 * Returns a handler to run first for each request: it starts the server span and calls `next` in
 * its context (with a request that has a body bound to it, so body parsing stays in it); the span
 * ends when the response closes. Without telemetry, or for probes, it calls `next` directly.
 */
export function serverSpans(options: ServerSpanOptions) {
  const tracer = trace.getTracer(options.name);
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const url = req.url ?? '/';
    if (!telemetryStarted() || !isTraced(url)) return next();
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const { span, parent, startTime } = startServerSpan(tracer, req);
    const recording = span.isRecording();
    if (recording) span.setAttributes(requestAttributes(req, path));
    const ctx = trace.setSpan(parent, span);
    // 'close' comes after 'finish', and also when the client goes away before the answer ends.
    res.once('close', () => {
      const e = { route: options.route(req), status: res.statusCode, endTime: Date.now() };
      if (recording) finish(span, req, e);
      else recordUnsampled({ req, path, parent, startTime }, e);
    });
    // A body is read from socket events, which run outside the request's context: binding the
    // request keeps body parsing (and what follows it) in the context. Binding patches every
    // listener method of the emitter, so a request without a body (most reads) is not bound, and
    // the response never is: what listens to its end captures the context it needs.
    if (hasBody(req)) context.bind(ctx, req);
    context.with(ctx, next);
  };
}
