/** Wiring of the notification service: the booking-events consumer, the delivery queue and worker, outbound webhooks, HTTP. */
import { createDb } from '@midas/db';
import { defineService, type ServiceDefinition } from '@midas/runtime';
import { parseSmtpUrls } from './domain/smtp-endpoints';
import { consumeBookingEvents } from './events/consume/booking-consumer';
import { createNotificationMetrics } from './metrics/notification-metrics';
import type { FlowContext } from './flows/context';
import { notificationRoutes } from './http/routes';
import { DEFAULT_DELIVERY_POLICY, DeliveryQueue, type DeliveryPolicy } from './jobs/delivery-queue';
import { DeliveryWorker } from './jobs/delivery-worker';
import { Mailer } from './mail/mailer';
import { setupWebhooks, type WebhookOptions } from './webhooks/component';

export interface NotificationOptions {
  delivery?: Partial<DeliveryPolicy>;
  /** SMTP connect and greeting timeout (default 10 s). */
  smtpConnectTimeoutMs?: number;
  /** How often pending messages are checked for a lost delivery job (default 60 s). */
  repairEveryMs?: number;
  /** How long a message may stay pending before its job counts as lost (default 10 min). */
  staleAfterMs?: number;
  /** Outbound webhooks: retry schedule and concurrency. */
  webhooks?: WebhookOptions;
}

export function defineNotificationService(options: NotificationOptions = {}): ServiceDefinition {
  return defineService(__dirname, 'notification', {
    async setup(ctx) {
      const endpoints = parseSmtpUrls(ctx.cfg.SMTP_URL);
      const mailer = endpoints.length
        ? new Mailer(endpoints, { from: ctx.cfg.MAIL_FROM, connectTimeoutMs: options.smtpConnectTimeoutMs })
        : null;
      if (mailer) ctx.lifecycle.onStop('smtp', () => mailer.close());
      else
        ctx.logger.warn(
          'SMTP_URL is not set: guest messages are written to the log and the communications record',
        );
      ctx.logger.info({ transports: endpoints.map((e) => e.label) }, 'mail transports, in failover order');

      const delivery = new DeliveryQueue(ctx.jobs, { ...DEFAULT_DELIVERY_POLICY, ...options.delivery });
      const flows: FlowContext = {
        db: createDb(ctx.pool, {}),
        logger: ctx.logger,
        mailer,
        delivery,
        metrics: createNotificationMetrics(ctx.metrics),
        staff: { adminEmails: ctx.cfg.ADMIN_EMAILS },
      };
      // Each transport's failure count starts at zero, so its alert sees the series from the start.
      for (const e of endpoints) flows.metrics.transportFailures.inc({ transport: e.label }, 0);
      const worker = new DeliveryWorker(ctx.jobs, delivery, ctx.logger, {
        concurrency: 8,
        repairEveryMs: options.repairEveryMs ?? 60_000,
        staleAfterMs: options.staleAfterMs ?? 10 * 60_000,
      });
      await worker.start(flows);
      ctx.lifecycle.onStop('notification-repair', () => worker.stop());
      await consumeBookingEvents(ctx.broker, ctx.pool, flows);
      const webhooks = await setupWebhooks(ctx, options.webhooks);
      const routes = notificationRoutes(flows);
      return {
        routes: (router) => {
          routes(router);
          webhooks.routes(router);
        },
      };
    },
  });
}

export const notificationService = defineNotificationService();
