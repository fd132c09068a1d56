/** Prometheus counters for messages: how many were recorded, delivered, logged and dead-lettered, by template. */
import type { Counter, Metrics } from '@midas/observability';
import { registeredCounter } from './registered-metric';

export interface NotificationMetrics {
  messages: Counter<'template' | 'status'>;
  transportFailures: Counter<'transport'>;
}

export function createNotificationMetrics(metrics: Metrics): NotificationMetrics {
  return {
    messages: registeredCounter(metrics.registry, {
      name: 'midas_notifications_total',
      help: 'Guest messages by template and outcome (recorded, sent, logged, failed)',
      labelNames: ['template', 'status'],
    }),
    transportFailures: registeredCounter(metrics.registry, {
      name: 'midas_notification_transport_failures_total',
      help: 'SMTP transport failures (each one is failed over to the next transport)',
      labelNames: ['transport'],
    }),
  };
}
