/**
 * The webhooks' own consumer (queue `notification.webhooks`, its own inbox entries): the Midas
 * events integrators may subscribe to, each turned into deliveries in its inbox transaction.
 * One message at a time on one replica at a time (single active consumer), so a booking's
 * sequence numbers follow the order booking published in however many replicas run. An event
 * no active subscription wants is acked without touching the inbox.
 */
import { bookingEvents, calendarEvents, statusChangedKeys } from '@midas/contracts';
import type { Broker, Consumer } from '@midas/messaging';
import type { Pool, Tx } from '@midas/db';
import { SOURCE_EVENT_TYPES, WEBHOOK_STATUSES, type SourceEvent } from '../../domain/webhook-event';
import type { FlowContext } from '../../flows/context';
import { recordDeliveries, wantsDeliveries } from '../../flows/record-deliveries';

export const WEBHOOK_CONSUMER = 'webhooks';
const schemas = { ...bookingEvents, ...calendarEvents };

export async function consumeWebhookEvents(broker: Broker, pool: Pool, ctx: FlowContext): Promise<Consumer> {
  const handlers = Object.fromEntries(
    SOURCE_EVENT_TYPES.map((type) => [
      type,
      {
        schema: schemas[type],
        // A status change integrators were not promised is not even delivered here.
        ...(type === 'booking.status_changed' ? { routingKeys: statusChangedKeys(WEBHOOK_STATUSES) } : {}),
        wants: (data: unknown, envelope: { occurredAt: string }) =>
          wantsDeliveries(ctx, { type, data } as SourceEvent, envelope),
        handle: async (data: unknown, tx: Tx, envelope: { id: string; occurredAt: string }) => {
          await recordDeliveries(ctx, tx, { type, data } as SourceEvent, envelope);
        },
      },
    ]),
  );
  return broker.consume({
    purpose: WEBHOOK_CONSUMER,
    pool,
    schema: 'notification',
    handlers,
    maxAttempts: 8,
    prefetch: 1,
    singleActiveConsumer: true,
  });
}
