/** Imported first by main.ts so tracing hooks are in place before ioredis loads. */
import { startTelemetry } from '@midas/observability';

// The gateway makes its own server span per request (tracing.ts), sampled first, so a request the
// sampler leaves out costs next to nothing; and no client span per forwarded request (the server
// span is handed on as the service's parent), which tripled the cost of the hop.
startTelemetry('gateway', process.env, { outgoingHttpSpans: false });
