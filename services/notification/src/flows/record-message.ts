/**
 * Turns a consumed event into its messages (the guest's, and staff's): chooses the templates,
 * renders and records each, inside the inbox transaction of the event. The unique (event,
 * template) key makes a second delivery of the event a no-op; a new message is queued for
 * delivery once that transaction committed. A message without a usable address still gets a
 * record, marked failed, so nothing is dropped silently.
 */
import { randomUUID } from 'node:crypto';
import type { Tx } from '@midas/db';
import { insertCommunication, findCommunication, pendingOfEvent } from '../db/communications';
import { planMessage, type ConsumedEvent, type PlannedMessage } from '../domain/message-plan';
import { renderMessage } from '../domain/renderer';
import { planStaffMessages } from '../domain/staff-plan';
import { publishOutcome } from '../events/publish/publish-outcome';
import type { FlowContext } from './context';

export const NO_RECIPIENT_ERROR = 'the booking has no email address to write to';

export interface EventRef {
  id: string;
  type: string;
}

export interface RecordedMessage {
  communicationId: string;
  queued: boolean;
}

/** Records every message the event calls for; returns the ones newly recorded. */
export async function recordMessages(
  ctx: FlowContext,
  tx: Tx,
  event: ConsumedEvent,
  source: EventRef,
): Promise<RecordedMessage[]> {
  const guest = planMessage(event);
  const planned = [...(guest ? [guest] : []), ...planStaffMessages(event, ctx.staff)];
  const recorded: RecordedMessage[] = [];
  for (const message of planned) {
    const one = await recordPlanned(ctx, tx, message, source);
    if (one) recorded.push(one);
  }
  return recorded;
}

async function recordPlanned(
  ctx: FlowContext,
  tx: Tx,
  planned: PlannedMessage,
  source: EventRef,
): Promise<RecordedMessage | null> {
  const rendered = renderMessage(planned.template, planned.view);
  const id = randomUUID();
  const missing = planned.missingRecipient ?? NO_RECIPIENT_ERROR;
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
    ...(planned.to ? {} : { status: 'failed' as const, error: missing }),
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
      missing,
    );
    const row = await findCommunication(tx, id);
    if (row) await publishOutcome(tx, row);
    ctx.metrics.messages.inc({ template: planned.template, status: 'failed' });
    return { communicationId: id, queued: false };
  }
  // Queued by the consumer once the transaction committed (`queueRecorded`). A crash in between
  // leaves the event unacked: its next delivery, a duplicate, queues the message still pending
  // (the stale-message sweep remains the backstop).
  ctx.metrics.messages.inc({ template: planned.template, status: 'recorded' });
  return { communicationId: id, queued: true };
}

/**
 * Queues for delivery the messages an event's transaction recorded, once it committed; for a
 * later delivery of the same event (`recorded` undefined: the process may have died before
 * queueing), its messages still pending are queued again (a job already there is left alone).
 */
export async function queueRecorded(
  ctx: FlowContext,
  eventId: string,
  recorded: RecordedMessage[] | undefined,
): Promise<void> {
  const ids = recorded
    ? recorded.filter((m) => m.queued).map((m) => m.communicationId)
    : await pendingOfEvent(ctx.db, eventId);
  for (const id of ids) await ctx.delivery.enqueue(id);
}
