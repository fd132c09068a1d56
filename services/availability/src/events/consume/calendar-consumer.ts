/**
 * Consumes calendar's reports about outside events (through the inbox: once per event) and makes
 * the item's blackouts follow them; a report older than the one stored changes nothing.
 */
import { calendarEvents } from '@midas/contracts';
import type { Pool, Tx } from '@midas/db';
import type { Broker, Consumer } from '@midas/messaging';
import type { Logger } from '@midas/observability';
import { findItem } from '../../db/items';
import { outsideSource, saveOutsideReport } from '../../db/outside-events';
import type { AvailabilityMetrics } from '../../flows/availability-metrics';
import { placeOutsideBlackouts } from '../../flows/place-outside-blackouts';
import { SCHEMA } from '../publish/outbox';

export async function consumeCalendarEvents(
  broker: Broker,
  pool: Pool,
  logger: Logger,
  metrics: AvailabilityMetrics,
): Promise<Consumer> {
  const apply = async (
    tx: Tx,
    d: { itemId: string; calendarId: string; googleEventId: string; revision: number },
    requested: { start: string; end: string; summary: string } | null,
  ) => {
    if (!(await findItem(tx, d.itemId))) {
      logger.warn({ itemId: d.itemId }, 'outside event for an unknown item ignored');
      return;
    }
    const stored = await saveOutsideReport(tx, {
      source: outsideSource(d.calendarId, d.googleEventId),
      itemId: d.itemId,
      calendarId: d.calendarId,
      eventId: d.googleEventId,
      revision: d.revision,
      period: requested ? { start: new Date(requested.start), end: new Date(requested.end) } : null,
      summary: requested?.summary,
    });
    if (!stored) return;
    const outcome = await placeOutsideBlackouts(tx, d.itemId, metrics);
    logger.info(
      { itemId: d.itemId, googleEventId: d.googleEventId, revision: d.revision, ...outcome },
      'outside event applied',
    );
  };
  return broker.consume({
    purpose: 'calendar-events',
    pool,
    schema: SCHEMA,
    handlers: {
      'calendar.blackout_requested': {
        schema: calendarEvents['calendar.blackout_requested'],
        handle: (data, tx) => apply(tx, data, data),
      },
      'calendar.blackout_withdrawn': {
        schema: calendarEvents['calendar.blackout_withdrawn'],
        handle: (data, tx) => apply(tx, data, null),
      },
    },
  });
}
