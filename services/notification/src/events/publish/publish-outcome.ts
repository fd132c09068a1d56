/** Publishes a finished message as `notification.sent` or `notification.failed` through the outbox. */
import type { Tx } from '@midas/db';
import { enqueueEvent } from '@midas/messaging';
import type { NotificationTemplate } from '@midas/contracts';
import type { CommunicationRow } from '../../db/schema';

export const SCHEMA = 'notification';

export async function publishOutcome(tx: Tx, row: CommunicationRow): Promise<void> {
  const common = {
    notificationId: row.id,
    bookingId: row.bookingId,
    channel: row.channel,
    template: row.template as NotificationTemplate,
    to: row.recipient,
    providerMessageId: row.providerMessageId ?? undefined,
    attempts: row.attempts,
    eventId: row.eventId,
  };
  if (row.status === 'failed') {
    await enqueueEvent(tx, SCHEMA, {
      type: 'notification.failed',
      data: { ...common, status: 'failed', error: row.error ?? 'delivery failed' },
    });
  } else if (row.status === 'sent' || row.status === 'logged') {
    await enqueueEvent(tx, SCHEMA, { type: 'notification.sent', data: { ...common, status: row.status } });
  }
}
