/** Prometheus metrics of webhook deliveries, per subscription: attempts by outcome, latency, disabled subscriptions. */
import type { Counter, Histogram, Metrics } from '@midas/observability';
import { registeredCounter, registeredHistogram } from '../../metrics/registered-metric';

export interface WebhookMetrics {
  attempts: Counter<'subscription' | 'outcome'>;
  latency: Histogram<'subscription'>;
  disabled: Counter<'subscription'>;
}

export function createWebhookMetrics(metrics: Metrics): WebhookMetrics {
  return {
    attempts: registeredCounter(metrics.registry, {
      name: 'midas_webhook_attempts_total',
      help: 'Webhook delivery attempts by subscription and outcome (sent: a 2xx answer, failed: anything else)',
      labelNames: ['subscription', 'outcome'],
    }),
    latency: registeredHistogram(metrics.registry, {
      name: 'midas_webhook_latency_seconds',
      help: 'Time from the start of a webhook attempt to the receiver answer (or the failure), by subscription',
      labelNames: ['subscription'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
    disabled: registeredCounter(metrics.registry, {
      name: 'midas_webhook_disabled_total',
      help: 'Webhook subscriptions switched off after failing too long',
      labelNames: ['subscription'],
    }),
  };
}
