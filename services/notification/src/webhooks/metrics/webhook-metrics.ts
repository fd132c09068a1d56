/** Prometheus metrics of webhook deliveries, per subscription: attempts by outcome, latency, disabled subscriptions. */
import { Counter, Histogram, type Metrics } from '@midas/observability';

export interface WebhookMetrics {
  attempts: Counter<'subscription' | 'outcome'>;
  latency: Histogram<'subscription'>;
  disabled: Counter<'subscription'>;
}

export function createWebhookMetrics(metrics: Metrics): WebhookMetrics {
  const registers = [metrics.registry];
  const existing = <T>(name: string) => metrics.registry.getSingleMetric(name) as T | undefined;
  return {
    attempts:
      existing<Counter<'subscription' | 'outcome'>>('midas_webhook_attempts_total') ??
      new Counter({
        name: 'midas_webhook_attempts_total',
        help: 'Webhook delivery attempts by subscription and outcome (sent: a 2xx answer, failed: anything else)',
        labelNames: ['subscription', 'outcome'] as const,
        registers,
      }),
    latency:
      existing<Histogram<'subscription'>>('midas_webhook_latency_seconds') ??
      new Histogram({
        name: 'midas_webhook_latency_seconds',
        help: 'Time from the start of a webhook attempt to the receiver answer (or the failure), by subscription',
        labelNames: ['subscription'] as const,
        buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers,
      }),
    disabled:
      existing<Counter<'subscription'>>('midas_webhook_disabled_total') ??
      new Counter({
        name: 'midas_webhook_disabled_total',
        help: 'Webhook subscriptions switched off after failing too long',
        labelNames: ['subscription'] as const,
        registers,
      }),
  };
}
