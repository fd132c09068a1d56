/** Imported first by main.ts so tracing hooks are in place before express, pg and amqplib load. */
import { startTelemetry } from '@midas/observability';

startTelemetry('notification');
