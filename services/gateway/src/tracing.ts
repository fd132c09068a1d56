/**
 * The gateway's span per request, made here rather than by the HTTP instrumentation: the sampler
 * decides first, and a request it leaves out costs one span id and a traceparent, with no
 * attributes, no context switch and no child spans (the Redis instrumentation needs a recorded
 * parent). The span's context is what the service receives as its parent, so with
 * `parentbased_*` samplers the whole request is traced or not at all. A request left out that
 * ends in a 5xx or is slow is recorded after the fact (recordUnsampled), as in the services.
 */
import type { IncomingMessage } from 'node:http';
import { context, propagation, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import {
  isTraced,
  recordUnsampled,
  requestAttributes,
  startServerSpan,
  type UnsampledRequest,
} from '@midas/observability';

export interface RequestTrace {
  span: Span;
  /** The context the request runs in when its span is recorded. */
  ctx: Context;
  /** The W3C headers that make the gateway's span the service's parent. */
  headers: Record<string, string>;
  /** Kept to record the span after the fact if the request fails or is slow. */
  unsampled?: UnsampledRequest;
}

export interface RequestTracing {
  /** Undefined when tracing is off or the path is not traced: the client's headers go on as sent. */
  start: (req: IncomingMessage, path: string) => RequestTrace | undefined;
  /** Runs `fn` with the request's span active when it is recorded, directly otherwise. */
  run: (t: RequestTrace | undefined, fn: () => void) => void;
  end: (t: RequestTrace | undefined, status: number) => void;
  /** Keeps a request's trace for the express path, which forwards with `traceHeaders`. */
  attach: (req: IncomingMessage, t: RequestTrace) => void;
  /** The headers to forward a request with: its span's, or the client's own (none added). */
  traceHeaders: (req: IncomingMessage) => Record<string, string>;
}

const NONE: Record<string, string> = Object.freeze({}) as Record<string, string>;

export function requestTracing(enabled: boolean): RequestTracing {
  const tracer = trace.getTracer('midas-gateway');
  const attached = new WeakMap<IncomingMessage, RequestTrace>();
  return {
    attach: (req, t) => attached.set(req, t),
    traceHeaders: (req) => attached.get(req)?.headers ?? NONE,
    start(req, path) {
      if (!enabled || !isTraced(path)) return undefined;
      const { span, parent, startTime } = startServerSpan(tracer, req);
      const ctx = trace.setSpan(parent, span);
      const headers: Record<string, string> = {};
      propagation.inject(ctx, headers);
      if (!span.isRecording()) return { span, ctx, headers, unsampled: { req, path, parent, startTime } };
      span.setAttributes(requestAttributes(req, path));
      return { span, ctx, headers };
    },
    run(t, fn) {
      if (t?.span.isRecording()) context.with(t.ctx, fn);
      else fn();
    },
    end(t, status) {
      if (!t) return;
      if (t.unsampled) {
        recordUnsampled(t.unsampled, { status, endTime: Date.now() });
        return;
      }
      if (t.span.isRecording()) {
        t.span.setAttribute('http.response.status_code', status);
        if (status >= 500) t.span.setStatus({ code: SpanStatusCode.ERROR });
      }
      t.span.end();
    },
  };
}
