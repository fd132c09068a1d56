/** Prometheus counters for messages: how many were recorded, delivered, logged and dead-lettered, by template. */
import { Counter, type Metrics } from '@midas/observability';

export interface NotificationMetrics {
  messages: Counter<'template' | 'status'>;
  transportFailures: Counter<'transport'>;
}

export function createNotificationMetrics(metrics: Metrics): NotificationMetrics {
  const registers = [metrics.registry];
  const existing = (name: string) => metrics.registry.getSingleMetric(name);
  return {
    messages:
      (existing('midas_notifications_total') as Counter<'template' | 'status'> | undefined) ??
      new Counter({
        name: 'midas_notifications_total',
        help: 'Guest messages by template and outcome (recorded, sent, logged, failed)',
        labelNames: ['template', 'status'] as const,
        registers,
      }),
    transportFailures:
      (existing('midas_notification_transport_failures_total') as Counter<'transport'> | undefined) ??
      new Counter({
        name: 'midas_notification_transport_failures_total',
        help: 'SMTP transport failures (each one is failed over to the next transport)',
        labelNames: ['transport'] as const,
        registers,
      }),
  };
}
