/**
 * Turns a consumed event into its message: chooses the template, renders it and records it,
 * inside the inbox transaction of the event. The unique (event, template) key makes a second
 * delivery of the event a no-op; a new message is queued for delivery. A booking without a
 * usable address still gets a record, marked failed, so nothing is dropped silently.
 */
import { randomUUID } from 'node:crypto';
import type { Tx } from '@midas/db';
import { insertCommunication, findCommunication } from '../db/communications';
import { planMessage, type ConsumedEvent } from '../domain/message-plan';
import { renderMessage } from '../domain/renderer';
import { publishOutcome } from '../events/publish-outcome';
import type { NotificationContext } from './context';

export const NO_RECIPIENT_ERROR = 'the booking has no email address to write to';

export interface EventRef {
  id: string;
  type: string;
}

export async function recordMessage(
  ctx: NotificationContext,
  tx: Tx,
  event: ConsumedEvent,
  source: EventRef,
): Promise<{ communicationId: string; queued: boolean } | null> {
  const planned = planMessage(event);
  if (!planned) return null;
  const rendered = renderMessage(planned.template, planned.view);
  const id = randomUUID();
  const inserted = await insertCommunication(tx, {
    id,
    eventId: source.id,
    eventType: source.type,
    bookingId: planned.bookingId,
    template: planned.template,
    channel: ctx.mailer ? 'email' : 'log',
    recipient: planned.to ?? '',
    subject: rendered.subject,
    html: rendered.html,
    bodyText: rendered.text,
    ...(planned.to ? {} : { status: 'failed' as const, error: NO_RECIPIENT_ERROR }),
  });
  if (!inserted) {
    ctx.logger.debug(
      { eventId: source.id, template: planned.template },
      'message already recorded for this event',
    );
    return null;
  }
  if (!planned.to) {
    ctx.logger.warn(
      { bookingId: planned.bookingId, template: planned.template, eventId: source.id },
      NO_RECIPIENT_ERROR,
    );
    const row = await findCommunication(tx, id);
    if (row) await publishOutcome(tx, row);
    ctx.metrics.messages.inc({ template: planned.template, status: 'failed' });
    return { communicationId: id, queued: false };
  }
  // Queued before the transaction commits: a job that runs first finds no row and is retried.
  await ctx.delivery.enqueue(id);
  ctx.metrics.messages.inc({ template: planned.template, status: 'recorded' });
  return { communicationId: id, queued: true };
}
