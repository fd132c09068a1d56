/** What the webhook flows work with: the database, the log, the secret box, the queue, the sender and the policies. */
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Logger } from '@midas/observability';
import type { DisablePolicy } from '../domain/disable-policy';
import type { SecretBox } from '../domain/secret-box';
import type { SubscribedTypes } from '../db/subscribed-types';
import type { WebhookMetrics } from '../metrics/webhook-metrics';
import type { WebhookQueue } from '../jobs/webhook-queue';
import type { WebhookSender } from '../net/webhook-sender';

export interface FlowContext {
  db: NodePgDatabase<Record<string, unknown>>;
  logger: Logger;
  box: SecretBox;
  queue: WebhookQueue;
  sender: WebhookSender;
  /** Which event types active subscriptions want; refreshed by the flows that change them. */
  subscribed: SubscribedTypes;
  metrics: WebhookMetrics;
  /** WEBHOOK_ALLOW_PRIVATE: http and private addresses allowed. */
  allowPrivate: boolean;
  disable: DisablePolicy;
  now: () => Date;
}
