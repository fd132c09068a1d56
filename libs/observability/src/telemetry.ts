/** OpenTelemetry start-up: must run before the instrumented libraries are first required. */
import { context, propagation } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { ExpressLayerType } from '@opentelemetry/instrumentation-express';

let sdk: NodeSDK | undefined;

/**
 * Starts tracing for this process. Spans are recorded and exported only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set (the chart sets it); without it the SDK registers no tracer
 * provider, and the instrumentations only carry a caller's trace context on (HTTP, RabbitMQ,
 * BullMQ), so log lines still carry the caller's trace id. Which traces are recorded is the SDK's
 * own reading of OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG (the chart sets a head-sampling
 * ratio); no sampler is passed here, so those variables always decide.
 */
export interface TelemetryOptions {
  /**
   * No client spans for this process's outgoing node:http and undici requests. For a process that
   * forwards requests (the gateway): it puts the trace context on what it forwards itself, and the
   * outgoing instrumentation costs more than the rest of the hop.
   */
  outgoingHttpSpans?: boolean;
  /**
   * No server spans from the HTTP and express instrumentations: the process starts its own span
   * per request (the gateway), so that a request the sampler leaves out costs next to nothing.
   */
  incomingHttpSpans?: boolean;
}

/** True once startTelemetry has started the SDK in this process. */
export function telemetryStarted(): boolean {
  return sdk !== undefined;
}

export function startTelemetry(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
  options: TelemetryOptions = {},
): void {
  if (sdk || env.OTEL_SDK_DISABLED === 'true') return;
  const spanProcessors: SpanProcessor[] = [];
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  } else {
    // Without a collector, the SDK's env defaults would still try OTLP for metrics and logs
    // (and wait on them at shutdown); Prometheus /metrics covers metrics locally.
    env.OTEL_METRICS_EXPORTER ??= 'none';
    env.OTEL_LOGS_EXPORTER ??= 'none';
  }
  // Only the libraries Midas talks through; each further instrumentation costs every request.
  // A forwarding process (outgoingHttpSpans: false) sends its requests through undici too.
  // A process that makes its own server spans loads neither the HTTP nor the express one.
  env.OTEL_NODE_ENABLED_INSTRUMENTATIONS ??= [
    ...(options.incomingHttpSpans === false ? [] : ['http', 'express']),
    'pg',
    'ioredis',
    'amqplib',
    ...(options.outgoingHttpSpans === false ? [] : ['undici']),
  ].join(',');
  sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? `midas-${serviceName}`,
    }),
    spanProcessors,
    instrumentations: [
      getNodeAutoInstrumentations({
        '@opentelemetry/instrumentation-http': {
          // Probes and scrapes would otherwise be most of the traces.
          ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz|metrics)\b/.test(req.url ?? ''),
          disableOutgoingRequestInstrumentation: options.outgoingHttpSpans === false,
        },
        // Router and handler spans tell where time goes; one span per middleware does not.
        '@opentelemetry/instrumentation-express': { ignoreLayersType: [ExpressLayerType.MIDDLEWARE] },
        // Queries and Redis calls outside any request or message (pollers, the rate limiter of a
        // request left out by the sampler) would each be a trace of their own.
        '@opentelemetry/instrumentation-pg': { requireParentSpan: true },
        '@opentelemetry/instrumentation-ioredis': { requireParentSpan: true },
      }),
    ],
  });
  sdk.start();
}

export async function stopTelemetry(): Promise<void> {
  const current = sdk;
  sdk = undefined;
  if (!current) return;
  // A collector that is down must not hold a pod's shutdown past its grace period.
  await Promise.race([
    current.shutdown().catch(() => undefined),
    new Promise((r) => setTimeout(r, 2000).unref()),
  ]);
}

/**
 * The active trace context as W3C headers (`traceparent`, `tracestate`, `baggage`), for a
 * request this process sends without the HTTP client instrumentation; empty without the SDK.
 */
export function traceContextHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}
