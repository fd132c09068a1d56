/** Listens to booking's events and keeps allocations consistent with bookings (through the inbox: once per event). */
import { bookingEvents } from '@midas/contracts';
import { pgErrorCode, PgCode, type Pool } from '@midas/db';
import type { Broker, Consumer } from '@midas/messaging';
import type { Logger } from '@midas/observability';
import { findByRef, moveAllocation } from '../db/allocations';
import { findItem } from '../db/items';
import { applyBookingStatus } from '../flows/apply-booking-status';
import { SCHEMA } from './outbox';

export async function consumeBookingEvents(broker: Broker, pool: Pool, logger: Logger): Promise<Consumer> {
  return broker.consume({
    purpose: 'booking-events',
    pool,
    schema: SCHEMA,
    handlers: {
      'booking.status_changed': {
        schema: bookingEvents['booking.status_changed'],
        handle: async (data, tx, envelope) => {
          await applyBookingStatus(tx, {
            bookingId: data.bookingId,
            to: data.to,
            start: new Date(data.start),
            at: new Date(envelope.occurredAt),
          });
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
