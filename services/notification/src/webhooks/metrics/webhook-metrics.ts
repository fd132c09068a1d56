/** Prometheus metrics of webhook deliveries, per subscription: attempts by outcome, latency, disabled subscriptions. */
import { Histogram, type Counter, type Metrics } from '@midas/observability';
import { registeredCounter } from '../../metrics/registered-counter';

export interface WebhookMetrics {
  attempts: Counter<'subscription' | 'outcome'>;
  latency: Histogram<'subscription'>;
  disabled: Counter<'subscription'>;
}

export function createWebhookMetrics(metrics: Metrics): WebhookMetrics {
  const latencyName = 'midas_webhook_latency_seconds';
  return {
    attempts: registeredCounter(
      metrics.registry,
      'midas_webhook_attempts_total',
      ['subscription', 'outcome'],
      'Webhook delivery attempts by subscription and outcome (sent: a 2xx answer, failed: anything else)',
    ),
    latency:
      (metrics.registry.getSingleMetric(latencyName) as Histogram<'subscription'> | undefined) ??
      new Histogram({
        name: latencyName,
        help: 'Time from the start of a webhook attempt to the receiver answer (or the failure), by subscription',
        labelNames: ['subscription'] as const,
        buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [metrics.registry],
      }),
    disabled: registeredCounter(
      metrics.registry,
      'midas_webhook_disabled_total',
      ['subscription'],
      'Webhook subscriptions switched off after failing too long',
    ),
  };
}
