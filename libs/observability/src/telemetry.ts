/** OpenTelemetry start-up: must run before the instrumented libraries are first required. */
import { context, propagation } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { Tracer } from '@opentelemetry/api';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
  type Resource,
} from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

let sdk: NodeSDK | undefined;
let late: Tracer | undefined;
let slowMs = 0;

/** How long a request may take before it is recorded even when the sampler left it out. */
const DEFAULT_SLOW_MS = 500;

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
}

/** True once startTelemetry has started the SDK in this process. */
export function telemetryStarted(): boolean {
  return sdk !== undefined;
}

/**
 * A tracer that records whatever the sampler decided, exporting through the same processors:
 * for the span of a request left out by the sampler that turned out to fail or be slow.
 * Undefined when spans are not exported.
 */
export function lateTracer(): Tracer | undefined {
  return late;
}

/**
 * MIDAS_TRACE_SLOW_MS (default 500, as the collector's tail sampling): a request left out by the
 * sampler that takes at least this long is recorded after the fact; 0 records only its 5xx.
 */
export function slowRequestMs(): number {
  return slowMs;
}

function lateProvider(resource: Resource, processors: SpanProcessor[]): Tracer {
  const provider = new BasicTracerProvider({
    resource: defaultResource()
      .merge(detectResources({ detectors: [envDetector] }))
      .merge(resource),
    sampler: new AlwaysOnSampler(),
    spanProcessors: processors,
  });
  return provider.getTracer('midas-late');
}

export function startTelemetry(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
  options: TelemetryOptions = {},
): void {
  if (sdk || env.OTEL_SDK_DISABLED === 'true') return;
  const spanProcessors: SpanProcessor[] = [];
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  // Metrics are Prometheus's (/metrics) and logs go to stdout, so the SDK exports only traces
  // unless told otherwise. Its env default (OTLP) would also have every instrumented query and
  // Redis call record histograms nobody reads: the largest part of what tracing cost per request.
  env.OTEL_METRICS_EXPORTER ??= 'none';
  env.OTEL_LOGS_EXPORTER ??= 'none';
  // Only the libraries Midas talks through; each further instrumentation costs every request.
  // Server spans are made by the process itself (serverSpans, the gateway's tracing), sampled
  // first, so neither the HTTP instrumentation's incoming side nor the express one is loaded: they
  // computed attributes and wrapped every middleware of requests the sampler then left out. The
  // HTTP one stays for outgoing node:http requests (payment SDKs); a forwarding process
  // (outgoingHttpSpans: false) sends its requests through undici and loads neither.
  env.OTEL_NODE_ENABLED_INSTRUMENTATIONS ??= [
    ...(options.outgoingHttpSpans === false ? [] : ['http', 'undici']),
    'pg',
    'ioredis',
    'amqplib',
  ].join(',');
  const resource = resourceFromAttributes({
    [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? `midas-${serviceName}`,
  });
  const slow = Number(env.MIDAS_TRACE_SLOW_MS ?? DEFAULT_SLOW_MS);
  slowMs = Number.isFinite(slow) && slow >= 0 ? slow : DEFAULT_SLOW_MS;
  late = spanProcessors.length > 0 ? lateProvider(resource, spanProcessors) : undefined;
  sdk = new NodeSDK({
    resource,
    spanProcessors,
    instrumentations: [
      getNodeAutoInstrumentations({
        '@opentelemetry/instrumentation-http': {
          disableIncomingRequestInstrumentation: true,
          disableOutgoingRequestInstrumentation: options.outgoingHttpSpans === false,
        },
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
  late = undefined;
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
