/**
 * Consumes what booking publishes about a booking, through the inbox (a redelivery has no second
 * effect; events that arrive together, such as a booking's confirmation and its assignment, share
 * one transaction, each in a savepoint of its own), and records the messages each event calls
 * for (the guest's and staff's), along with the booking's location and assigned concierge, which
 * decide which staff may read its record. `booking.erased` drops the personal data of a booking's
 * record, on the same queue so it follows the events before it.
 */
import { bookingEvents, bookingSummary, statusChangedKeys } from '@midas/contracts';
import type { Broker, Consumer } from '@midas/messaging';
import type { Pool } from '@midas/db';
import type { ConsumedEvent } from '../../domain/message-plan';
import { STAFF_MESSAGE_STATUSES } from '../../domain/staff-plan';
import { GUEST_MESSAGE_STATUSES, type ConsumedEventType } from '../../domain/template-choice';
import { saveBookingScope } from '../../db/booking-scopes';
import { eraseBookingMessages, isErased } from '../../db/personal-data';
import { queueRecorded, recordMessages, type RecordedMessage } from '../../flows/record-message';
import type { FlowContext } from '../../flows/context';
import { SCHEMA } from '../publish/publish-outcome';

export const CONSUMED_EVENTS: ConsumedEventType[] = [
  'booking.status_changed',
  'booking.modified',
  'booking.reminder_due',
  'payment.failed',
  'refund.issued',
  'booking.unassigned_near_start',
  'booking.reassigned',
  'booking.calendar_conflict',
  'refund.dead_lettered',
  'customer.tier_changed',
  'payment.deposit_declined',
];

export async function consumeBookingEvents(broker: Broker, pool: Pool, ctx: FlowContext): Promise<Consumer> {
  const handlers = Object.fromEntries(
    CONSUMED_EVENTS.map((type) => [
      type,
      {
        schema: bookingEvents[type],
        // Only the status changes that give someone a message; the assignment among them keeps the
        // booking's concierge (its scope) current.
        ...(type === 'booking.status_changed'
          ? { routingKeys: statusChangedKeys([...GUEST_MESSAGE_STATUSES, ...STAFF_MESSAGE_STATUSES]) }
          : {}),
        handle: async (
          data: unknown,
          tx: Parameters<typeof recordMessages>[1],
          envelope: { id: string; type: string },
        ) => {
          const summary = bookingSummary.parse(data);
          await saveBookingScope(tx, {
            bookingId: summary.bookingId,
            location: summary.location,
            conciergeId: summary.conciergeId ?? null,
          });
          // Late news of an erased booking is recorded without the guest's contact.
          const kept = (await isErased(tx, summary.bookingId))
            ? { ...(data as Record<string, unknown>), guest: undefined }
            : data;
          return recordMessages(ctx, tx, { type, data: kept } as ConsumedEvent, {
            id: envelope.id,
            type: envelope.type,
          });
        },
        // Queued after the commit, so a delivery job's first run finds its message.
        afterCommit: (recorded: unknown, envelope: { id: string }) =>
          queueRecorded(ctx, envelope.id, recorded as RecordedMessage[] | undefined),
      },
    ]),
  );
  const erased = {
    schema: bookingEvents['booking.erased'],
    handle: async (
      data: { bookingId: string; erasedAt: string },
      tx: Parameters<typeof recordMessages>[1],
    ) => {
      await eraseBookingMessages(tx, data.bookingId, new Date(data.erasedAt));
      ctx.logger.info({ bookingId: data.bookingId }, 'personal data erased from the communications record');
    },
  };
  return broker.consume({
    purpose: 'guest-messages',
    pool,
    schema: SCHEMA,
    handlers: { ...handlers, 'booking.erased': erased },
    maxAttempts: 8,
    // Every effect is in the transaction but the delivery jobs, queued after it committed.
    batch: { max: 32, waitMs: 20 },
  });
}
