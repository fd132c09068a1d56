/** Prometheus metrics for messaging, registered once per registry: consumed events, dead letters, RPC calls, queue depth. */
import { Counter, scrapedGauge, type Metrics, type Registry } from '@midas/observability';

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
        help: 'Events taken from a consumer queue, by outcome (handled, duplicate, skipped, retried, dead_lettered)',
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

export interface QueueDepth {
  queue: string;
  ready: number;
  consumers: number;
}

/**
 * `midas_queue_messages_ready{queue}` and `midas_queue_consumers{queue}`: the process's own
 * consumer queues (and their dead-letter queues), read from RabbitMQ at scrape time. Every replica
 * reports the same queues, so dashboards and alerts take the `max` across instances. The last
 * broker registered in a registry is the one asked (tests start several in one process).
 */
export function registerQueueDepth(
  metrics: Pick<Metrics, 'registry'>,
  read: () => Promise<QueueDepth[]>,
): void {
  for (const name of ['midas_queue_messages_ready', 'midas_queue_consumers'])
    if (metrics.registry.getSingleMetric(name)) metrics.registry.removeSingleMetric(name);
  let last: Promise<QueueDepth[]> | undefined;
  // Both gauges are collected in the same scrape: one read of RabbitMQ serves them.
  const depths = (): Promise<QueueDepth[]> => {
    last ??= read()
      .catch(() => [])
      .finally(() => setTimeout(() => (last = undefined), 1000).unref());
    return last;
  };
  const byQueue = (value: (d: QueueDepth) => number) => async () =>
    (await depths()).map((d) => ({ labels: { queue: d.queue }, value: value(d) }));
  scrapedGauge(metrics, {
    name: 'midas_queue_messages_ready',
    help: 'Messages ready for delivery in a consumer queue or its dead-letter queue (RabbitMQ passive declare)',
    labelNames: ['queue'] as const,
    read: byQueue((d) => d.ready),
  });
  scrapedGauge(metrics, {
    name: 'midas_queue_consumers',
    help: 'Consumers attached to a consumer queue, across every replica (RabbitMQ passive declare)',
    labelNames: ['queue'] as const,
    read: byQueue((d) => d.consumers),
  });
}
