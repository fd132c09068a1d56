/** Imported first by main.ts so tracing hooks are in place before express and ioredis load. */
import { startTelemetry } from '@midas/observability';

// Client spans for proxied requests tripled the cost of the hop (bench/availability); the
// request's server span covers the forwarding, and the proxy hands its context on.
startTelemetry('gateway', process.env, { outgoingHttpSpans: false });
