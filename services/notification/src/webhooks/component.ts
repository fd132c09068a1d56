/**
 * Outbound webhooks, one component of the notification service: its consumer, its `webhooks`
 * queue and worker, its sender, its routes. Wired here so the service's own setup only calls in.
 */
import { createDb } from '@midas/db';
import type { ServiceContext } from '@midas/runtime';
import type { Router } from 'express';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './domain/retry-schedule';
import { DEV_WEBHOOK_SECRET_KEY, SecretBox } from './domain/secret-box';
import { SubscribedTypes } from './db/subscribed-types';
import { consumeWebhookEvents } from './events/consume/webhook-consumer';
import { createWebhookMetrics } from './metrics/webhook-metrics';
import type { FlowContext } from './flows/context';
import { webhookRoutes } from './http/webhook-routes';
import { WebhookQueue } from './jobs/webhook-queue';
import { startWebhookWorker } from './jobs/webhook-worker';
import { WebhookSender } from './net/webhook-sender';

export interface WebhookOptions {
  retry?: Partial<RetryPolicy>;
  /** Deliveries sent at once by this process (default 16). */
  concurrency?: number;
}

export async function setupWebhooks(
  service: ServiceContext,
  options: WebhookOptions = {},
): Promise<{ routes: (router: Router) => void; context: FlowContext }> {
  const { cfg } = service;
  if (cfg.NODE_ENV === 'production' && !cfg.WEBHOOK_SECRET_KEY) {
    throw new Error(
      'WEBHOOK_SECRET_KEY must be set when NODE_ENV=production: it encrypts webhook signing secrets',
    );
  }
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const sender = new WebhookSender({
    allowPrivate: cfg.WEBHOOK_ALLOW_PRIVATE,
    timeoutMs: cfg.WEBHOOK_TIMEOUT_MS,
  });
  service.lifecycle.onStop('webhook-sender', () => sender.close());
  if (cfg.WEBHOOK_ALLOW_PRIVATE) {
    service.logger.warn(
      'WEBHOOK_ALLOW_PRIVATE is on: webhooks may go over http to loopback and private addresses',
    );
  }
  const db = createDb(service.pool, {});
  const logger = service.logger.child({ component: 'webhooks' });
  const subscribed = new SubscribedTypes(db, logger);
  subscribed.start();
  service.lifecycle.onStop('webhook-subscribed-types', () => subscribed.stop());
  const context: FlowContext = {
    db,
    logger,
    box: new SecretBox(cfg.WEBHOOK_SECRET_KEY ?? DEV_WEBHOOK_SECRET_KEY),
    queue: new WebhookQueue(service.jobs, retry),
    sender,
    subscribed,
    metrics: createWebhookMetrics(service.metrics),
    allowPrivate: cfg.WEBHOOK_ALLOW_PRIVATE,
    disable: {
      failures: cfg.WEBHOOK_DISABLE_AFTER_FAILURES,
      spanMs: cfg.WEBHOOK_DISABLE_AFTER_MINUTES * 60_000,
    },
    now: () => new Date(),
  };
  startWebhookWorker(service.jobs, context, { retry, concurrency: options.concurrency ?? 16 });
  await consumeWebhookEvents(service.broker, service.pool, context);
  return { routes: webhookRoutes(context), context };
}
