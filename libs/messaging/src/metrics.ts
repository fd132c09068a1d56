/** Prometheus counters for messaging, registered once per registry (dead letters and duplicates are alertable). */
import { Counter, type Registry } from '@midas/observability';

export interface MessagingMetrics {
  consumed: Counter<'queue' | 'outcome'>;
  published: Counter<'schema'>;
  rpcCalls: Counter<'method' | 'outcome'>;
  deadLetters: Counter<'queue'>;
}

const byRegistry = new WeakMap<Registry, MessagingMetrics>();

export function messagingMetrics(registry: Registry): MessagingMetrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    metrics = {
      consumed: new Counter({
        name: 'midas_messaging_consumed_total',
        help: 'Events taken from a consumer queue, by outcome (handled, duplicate, retried, dead_lettered)',
        labelNames: ['queue', 'outcome'] as const,
        registers: [registry],
      }),
      published: new Counter({
        name: 'midas_outbox_published_total',
        help: 'Outbox events published and confirmed by the broker',
        labelNames: ['schema'] as const,
        registers: [registry],
      }),
      deadLetters: new Counter({
        name: 'midas_dead_letters_total',
        help: 'Messages moved to a dead-letter queue; inspect and replay with npm run dlq',
        labelNames: ['queue'] as const,
        registers: [registry],
      }),
      rpcCalls: new Counter({
        name: 'midas_rpc_client_calls_total',
        help: 'RPC calls made, by method and outcome (ok, an error code, rpc_timeout)',
        labelNames: ['method', 'outcome'] as const,
        registers: [registry],
      }),
    };
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
