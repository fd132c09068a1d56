/** Imported first by main.ts so tracing hooks are in place before express and ioredis load. */
import { startTelemetry } from '@midas/observability';

startTelemetry('gateway');
