/**
 * Turns a consumed Midas event into deliveries, inside the event's inbox transaction: one row
 * per webhook event and active subscription that asked for its type (the unique key makes a
 * redelivered event a no-op), each with the exact body it will send and the booking's next
 * sequence number, then one queued job per new row.
 */
import { randomUUID } from 'node:crypto';
import type { Tx } from '@midas/db';
import { insertDelivery, nextBookingSequence } from '../db/deliveries';
import { subscribersOf } from '../db/subscriptions';
import { payloadBody, webhookEventsFor, type SourceEvent } from '../domain/webhook-event';
import type { FlowContext } from './context';

/**
 * Whether an active subscription asked for what this event becomes, as of when it occurred; when
 * none did, the consumer acks it with no transaction at all.
 */
export async function wantsDeliveries(
  ctx: FlowContext,
  event: SourceEvent,
  source: { occurredAt: string },
): Promise<boolean> {
  const types = webhookEventsFor(event).map((webhookEvent) => webhookEvent.type);
  return types.length > 0 && ctx.subscribed.wantsAny(types, new Date(source.occurredAt));
}

export async function recordDeliveries(
  ctx: FlowContext,
  tx: Tx,
  event: SourceEvent,
  source: { id: string; occurredAt: string },
): Promise<string[]> {
  const queued: string[] = [];
  for (const webhookEvent of webhookEventsFor(event)) {
    const subscribers = await subscribersOf(tx, webhookEvent.type);
    if (subscribers.length === 0) continue;
    const sequence = await nextBookingSequence(tx, webhookEvent.bookingId);
    for (const sub of subscribers) {
      const id = randomUUID();
      const inserted = await insertDelivery(tx, {
        id,
        subscriptionId: sub.id,
        eventId: source.id,
        eventType: webhookEvent.type,
        bookingId: webhookEvent.bookingId,
        sequence,
        body: payloadBody(webhookEvent, {
          timestamp: source.occurredAt,
          sequence,
          includePersonalData: sub.includePersonalData,
        }),
      });
      if (inserted) queued.push(id);
    }
  }
  // Queued before the transaction commits: a job that runs first finds no row and waits for it.
  for (const id of queued) await ctx.queue.enqueue(id);
  return queued;
}
