/** Prometheus counters for messages: how many were recorded, delivered, logged and dead-lettered, by template. */
import type { Counter, Metrics } from '@midas/observability';
import { registeredCounter } from './registered-counter';

export interface NotificationMetrics {
  messages: Counter<'template' | 'status'>;
  transportFailures: Counter<'transport'>;
}

export function createNotificationMetrics(metrics: Metrics): NotificationMetrics {
  return {
    messages: registeredCounter(
      metrics.registry,
      'midas_notifications_total',
      ['template', 'status'],
      'Guest messages by template and outcome (recorded, sent, logged, failed)',
    ),
    transportFailures: registeredCounter(
      metrics.registry,
      'midas_notification_transport_failures_total',
      ['transport'],
      'SMTP transport failures (each one is failed over to the next transport)',
    ),
  };
}
