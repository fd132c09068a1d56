/**
 * Listens to booking's events and keeps allocations consistent with bookings (through the inbox:
 * once per event); a freed slot lets outside events that were in conflict block it.
 */
import { bookingEvents, statusChangedKeys } from '@midas/contracts';
import { pgErrorCode, PgCode, type Pool } from '@midas/db';
import type { Broker, Consumer } from '@midas/messaging';
import type { Logger } from '@midas/observability';
import { findByRef, moveAllocation } from '../../db/allocations';
import { findItem } from '../../db/items';
import { hasOutsideConflicts } from '../../db/outside-events';
import { applyBookingStatus, FREEING_STATUSES, freesSlot } from '../../flows/apply-booking-status';
import type { AvailabilityMetrics } from '../../flows/availability-metrics';
import { placeOutsideBlackouts } from '../../flows/place-outside-blackouts';
import { SCHEMA } from '../publish/outbox';

export async function consumeBookingEvents(
  broker: Broker,
  pool: Pool,
  logger: Logger,
  metrics?: AvailabilityMetrics,
): Promise<Consumer> {
  return broker.consume({
    purpose: 'booking-events',
    pool,
    schema: SCHEMA,
    // Every handler's effect (allocations, blackouts, outbox events) is in its transaction.
    batch: { max: 32, waitMs: 20 },
    handlers: {
      'booking.status_changed': {
        schema: bookingEvents['booking.status_changed'],
        // Only the changes that free a slot: confirmation and the steps after it change nothing here.
        routingKeys: statusChangedKeys(FREEING_STATUSES),
        handle: async (data, tx, envelope) => {
          await applyBookingStatus(tx, {
            bookingId: data.bookingId,
            to: data.to,
            start: new Date(data.start),
            at: new Date(envelope.occurredAt),
          });
          // An outside event kept off the item by this booking blocks its time once it is freed.
          if (freesSlot(data.to) && (await hasOutsideConflicts(tx, data.itemId))) {
            await placeOutsideBlackouts(tx, data.itemId, metrics);
          }
        },
      },
      'booking.modified': {
        schema: bookingEvents['booking.modified'],
        handle: async (data, tx) => {
          const row = (await findByRef(tx, data.bookingId)).find((r) => r.active);
          const start = new Date(data.start);
          const end = new Date(data.end);
          if (
            !row ||
            (row.period.start.getTime() === start.getTime() && row.period.end.getTime() === end.getTime())
          )
            return;
          const item = await findItem(tx, row.itemId);
          try {
            // A savepoint, so a refused range leaves the rest of this event's transaction intact.
            await tx.transaction((sp) =>
              moveAllocation(sp, row.id, { start, end }, item?.bufferMinutes ?? 0),
            );
          } catch (err) {
            if (pgErrorCode(err) !== PgCode.exclusionViolation) throw err;
            logger.warn(
              { bookingId: data.bookingId, start: data.start, end: data.end },
              'booking moved into a taken slot; allocation kept',
            );
          }
        },
      },
    },
  });
}
