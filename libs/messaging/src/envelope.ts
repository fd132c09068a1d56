/** The envelope every event travels in, and W3C trace context carried in message headers. */
import { z } from 'zod';
import { context, propagation, type Context } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  source: z.string().min(1),
  data: z.unknown(),
});

export interface Envelope<T = unknown> {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  source: string;
  data: T;
}

export type TraceHeaders = Record<string, string>;

/*
 * Explicit W3C propagation rather than the global propagator: a process without the
 * OpenTelemetry SDK (a CLI, a test) still passes on the trace it was given.
 */
const propagator = new W3CTraceContextPropagator();
const setter = { set: (carrier: TraceHeaders, key: string, value: string) => void (carrier[key] = value) };
const getter = {
  get: (carrier: Record<string, unknown>, key: string) => {
    const value = carrier[key];
    return typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString() : undefined;
  },
  keys: (carrier: Record<string, unknown>) => Object.keys(carrier),
};

/** `traceparent` (and `tracestate`) of the given context, for message headers. */
export function traceHeaders(ctx: Context = context.active()): TraceHeaders {
  const carrier: TraceHeaders = {};
  propagator.inject(ctx, carrier, setter);
  // Baggage and any other configured propagators (when the SDK is running) ride along too.
  propagation.inject(ctx, carrier, setter);
  return carrier;
}

/** The context a message's headers describe, as the parent of the consumer's span. */
export function contextFromHeaders(
  headers: Record<string, unknown> | undefined,
  base: Context = context.active(),
): Context {
  if (!headers) return base;
  return propagator.extract(base, headers, getter);
}
