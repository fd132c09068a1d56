/**
 * What booking consumes: lapsed holds (expire the unpaid booking), holds created (conversion),
 * item changes (local copy), notification outcomes (communications in the history), and
 * calendar conflicts (an outside event over a booking, flagged to staff in its history and told
 * to its concierge or the admins through `booking.calendar_conflict`).
 */
import {
  availabilityEvents,
  calendarEvents,
  notificationEvents,
  type NotificationRecord,
} from '@midas/contracts';
import type { Pool, Tx } from '@midas/db';
import type { Broker } from '@midas/messaging';
import { recordCalendarConflict, recordCommunication, recordHoldSeen } from '../../db/events-seen';
import { upsertItem } from '../../db/items';
import type { FlowContext } from '../../flows/context';
import { expireBookingOfHold } from '../../flows/expire-booking';
import { reportCalendarConflict } from '../../flows/report-calendar-conflict';

function communication(tx: Tx, data: NotificationRecord, at: string) {
  return recordCommunication(tx, {
    id: data.notificationId,
    bookingId: data.bookingId,
    channel: data.channel,
    template: data.template,
    recipient: data.to,
    status: data.status,
    providerMessageId: data.providerMessageId ?? null,
    attempts: data.attempts,
    at: new Date(at),
  });
}

export async function consumeEvents(broker: Broker, pool: Pool, deps: FlowContext): Promise<void> {
  await broker.consume({
    purpose: 'events',
    pool,
    schema: 'booking',
    // Every handler's effect is in its transaction (a lapsed hold's payment cancel is safe to repeat).
    batch: { max: 32, waitMs: 20 },
    handlers: {
      'hold.expired': {
        schema: availabilityEvents['hold.expired'],
        handle: async (data, tx) => {
          await expireBookingOfHold(deps, tx, data.holdId);
        },
      },
      'hold.created': {
        schema: availabilityEvents['hold.created'],
        handle: (data, tx, envelope) =>
          recordHoldSeen(tx, {
            holdId: data.holdId,
            itemId: data.itemId,
            createdAt: new Date(envelope.occurredAt),
          }),
      },
      'item.created': {
        schema: availabilityEvents['item.created'],
        handle: async (data, tx) => {
          await upsertItem(tx, data);
          deps.items.remember(data);
        },
      },
      'item.updated': {
        schema: availabilityEvents['item.updated'],
        handle: async (data, tx) => {
          await upsertItem(tx, data);
          deps.items.remember(data);
        },
      },
      'notification.sent': {
        schema: notificationEvents['notification.sent'],
        handle: (data, tx, envelope) => communication(tx, data, envelope.occurredAt),
      },
      'notification.failed': {
        schema: notificationEvents['notification.failed'],
        handle: (data, tx, envelope) => communication(tx, data, envelope.occurredAt),
      },
      'calendar.conflict': {
        schema: calendarEvents['calendar.conflict'],
        handle: async (data, tx) => {
          const recorded = await recordCalendarConflict(tx, {
            bookingIds: data.bookingIds,
            calendarId: data.calendarId,
            googleEventId: data.googleEventId,
            start: new Date(data.start),
            end: new Date(data.end),
            summary: data.summary,
          });
          await reportCalendarConflict(tx, data, recorded);
          if (recorded.length > 0) {
            deps.logger.warn(
              { bookingIds: recorded, itemId: data.itemId, googleEventId: data.googleEventId },
              'an event in the item calendar overlaps bookings; staff should resolve it',
            );
          }
        },
      },
    },
  });
}
