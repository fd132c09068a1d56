/** What the notification flows work with: the database, the log, the mailer and the delivery queue. */
import type { Logger } from '@midas/observability';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Mailer } from '../mail/mailer';
import type { DeliveryQueue } from '../jobs/delivery-queue';
import type { NotificationMetrics } from '../metrics/notification-metrics';
import type { StaffDirectory } from '../domain/staff-plan';

export interface FlowContext {
  db: NodePgDatabase<Record<string, unknown>>;
  logger: Logger;
  /** Null without SMTP_URL: messages are written to the log channel instead. */
  mailer: Mailer | null;
  delivery: DeliveryQueue;
  metrics: NotificationMetrics;
  /** Who staff messages go to (ADMIN_EMAILS). */
  staff: StaffDirectory;
}
