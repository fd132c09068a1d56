/**
 * Keeps the pg instrumentation off the queries of a request the sampler left out. It skips a
 * query only when no span is active (`requireParentSpan`), and an unsampled request does have one
 * (non-recording, so its trace context still reaches the next hop): each of its queries would
 * build a span name, attributes and a wrapped callback for nothing. Its queries run in the same
 * context without that span instead; a sampled request's queries are traced as before.
 */
import { context, trace } from '@opentelemetry/api';
import type { Pool, PoolClient } from 'pg';

function outsideUnsampledSpan<T>(run: () => T): T {
  const active = context.active();
  const span = trace.getSpan(active);
  if (!span || span.isRecording()) return run();
  return context.with(trace.deleteSpan(active), run);
}

/** Wraps a method of one object so that it is called outside an unsampled span. */
function wrap<O extends object, K extends keyof O>(target: O, key: K): void {
  const original = target[key] as (...args: unknown[]) => unknown;
  target[key] = function (this: unknown, ...args: unknown[]) {
    return outsideUnsampledSpan(() => original.apply(this, args));
  } as O[K];
}

export function untraceUnsampledQueries(pool: Pool): void {
  wrap(pool, 'query');
  wrap(pool, 'connect');
  // A transaction's statements go through its client's own query method.
  pool.on('connect', (client: PoolClient) => wrap(client, 'query'));
}
