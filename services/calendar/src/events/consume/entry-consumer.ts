/**
 * Consumes booking, blackout and item events through the inbox (one transaction per event, a
 * redelivery has no second effect) into calendar's copy of each item's bookings and blackouts.
 * Item events are the word on an item (its zone above all); a booking event only introduces an
 * item calendar has not heard of, so a booking event published before a change of zone cannot
 * put the old zone back.
 */
import { availabilityEvents, bookingEvents, statusChangedKeys } from '@midas/contracts';
import type { Tx, Pool } from '@midas/db';
import type { Broker, Consumer, EventHandler } from '@midas/messaging';
import { blackoutSummary, bookingSummary, SHOWN_STATUSES } from '../../domain/entry';
import { insertItemIfNew, readItem, upsertItem } from '../../db/items';
import { changeItemZone } from '../../flows/change-item-zone';
import type { FlowContext } from '../../flows/context';
import { projectEntry } from '../../flows/project-entry';

export const SCHEMA = 'calendar';

type BookingData = (typeof bookingEvents)['booking.created']['_zod']['output'] & { to?: string };
type BlackoutData = (typeof availabilityEvents)['blackout.created']['_zod']['output'];

async function applyBooking(ctx: FlowContext, tx: Tx, d: BookingData, occurredAt: string) {
  await insertItemIfNew(tx, { id: d.itemId, type: d.itemType, name: d.itemName, timezone: d.timezone });
  const item = await readItem(tx, d.itemId);
  await projectEntry(
    ctx,
    tx,
    {
      kind: 'booking',
      ref: d.bookingId,
      itemId: d.itemId,
      itemType: d.itemType,
      timezone: item?.timezone ?? d.timezone,
      start: new Date(d.start),
      end: new Date(d.end),
      status: d.to ?? d.status,
      summary: bookingSummary(d.itemName, d.bookingId),
    },
    new Date(occurredAt),
  );
}

async function applyBlackout(
  ctx: FlowContext,
  tx: Tx,
  d: BlackoutData,
  deleted: boolean,
  occurredAt: string,
) {
  const item = await readItem(tx, d.itemId);
  await projectEntry(
    ctx,
    tx,
    {
      kind: 'blackout',
      ref: d.blackoutId,
      itemId: d.itemId,
      itemType: item?.type ?? null,
      timezone: item?.timezone ?? 'UTC',
      start: new Date(d.start),
      end: new Date(d.end),
      status: deleted ? 'deleted' : 'active',
      summary: blackoutSummary(d.reason),
    },
    new Date(occurredAt),
  );
}

export async function consumeEntryEvents(broker: Broker, pool: Pool, ctx: FlowContext): Promise<Consumer> {
  const booking = (
    type: 'booking.created' | 'booking.status_changed' | 'booking.modified',
  ): EventHandler => ({
    schema: bookingEvents[type],
    handle: (data, tx, envelope) => applyBooking(ctx, tx, data as BookingData, envelope.occurredAt),
  });
  const blackout = (type: 'blackout.created' | 'blackout.deleted'): EventHandler => ({
    schema: availabilityEvents[type],
    handle: (data, tx, envelope) =>
      applyBlackout(ctx, tx, data as BlackoutData, type === 'blackout.deleted', envelope.occurredAt),
  });
  const item = (type: 'item.created' | 'item.updated'): EventHandler => ({
    schema: availabilityEvents[type],
    handle: async (data, tx) => {
      const d = data as (typeof availabilityEvents)['item.created']['_zod']['output'];
      const before = await readItem(tx, d.id);
      await upsertItem(tx, { id: d.id, type: d.type, name: d.name, timezone: d.timezone });
      await changeItemZone(ctx, tx, d.id, d.timezone, {
        zoneChanged: before !== undefined && before.timezone !== d.timezone,
      });
    },
  });
  return broker.consume({
    purpose: 'calendar-entries',
    pool,
    schema: SCHEMA,
    maxAttempts: 8,
    // Every effect is in the transaction; a Google write queued by an undone handler waits for a change that commits.
    batch: { max: 32, waitMs: 20 },
    handlers: {
      'booking.created': booking('booking.created'),
      'booking.status_changed': {
        ...booking('booking.status_changed'),
        routingKeys: statusChangedKeys(SHOWN_STATUSES),
      },
      'booking.modified': booking('booking.modified'),
      'blackout.created': blackout('blackout.created'),
      'blackout.deleted': blackout('blackout.deleted'),
      'item.created': item('item.created'),
      'item.updated': item('item.updated'),
    },
  });
}
