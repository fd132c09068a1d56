/** The tracer for messaging spans (publish, process, RPC), named after this library. */
import { trace } from '@opentelemetry/api';

export const tracer = trace.getTracer('@midas/messaging');
