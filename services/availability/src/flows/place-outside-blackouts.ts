/**
 * Brings an item's outside-event blackouts in line with its outside events (see
 * domain/outside-blocks): lapsed and guest holds in the way end, changed segments are replaced,
 * and each event that a booking keeps from blocking is reported once per change as
 * `calendar.conflict`, for booking to keep and staff to resolve. Runs in the caller's transaction,
 * with the item row locked so one item's blackouts are decided one change at a time.
 */
import { calendarEvents } from '@midas/contracts';
import { enqueueEvent } from '@midas/messaging';
import { deactivate, deactivateLapsedHolds, insertAllocation } from '../db/allocations';
import { findItem } from '../db/items';
import {
  listOutsideEvents,
  lockItemOccupations,
  markOutsideState,
  OUTSIDE_CREATOR,
  OUTSIDE_REASON,
} from '../db/outside-events';
import type { Tx } from '@midas/db';
import { planOutsideBlocks, segmentChanges } from '../domain/outside-blocks';
import type { Period } from '../domain/period';
import { enqueueBlackoutEvent, enqueueHoldEnded, SCHEMA } from '../events/publish/outbox';
import type { AvailabilityMetrics } from './availability-metrics';

/** Something was committed into the planned time between our lock and our insert: retry the event. */
export class OutsideBlockRaced extends Error {}

export interface OutsideOutcome {
  added: number;
  removed: number;
  conflicts: number;
}

function hullOf(periods: Period[]): Period | null {
  if (!periods.length) return null;
  return {
    start: new Date(Math.min(...periods.map((p) => p.start.getTime()))),
    end: new Date(Math.max(...periods.map((p) => p.end.getTime()))),
  };
}

export async function placeOutsideBlackouts(
  tx: Tx,
  itemId: string,
  metrics?: AvailabilityMetrics,
): Promise<OutsideOutcome> {
  const outcome: OutsideOutcome = { added: 0, removed: 0, conflicts: 0 };
  const item = await findItem(tx, itemId, { forUpdate: true });
  if (!item) return outcome;
  const expired = await deactivateLapsedHolds(tx, { itemId });
  for (const row of expired) await enqueueHoldEnded(tx, 'hold.expired', row);
  const events = await listOutsideEvents(tx, itemId);
  const withPeriod = events.flatMap((e) => (e.period ? [{ source: e.source, period: e.period }] : []));
  const { segments, others } = await lockItemOccupations(tx, itemId, hullOf(withPeriod.map((e) => e.period)));
  const plan = planOutsideBlocks(withPeriod, others);

  for (const id of plan.releasedHolds) {
    const ended = await deactivate(tx, id, 'outside_event');
    if (ended) await enqueueHoldEnded(tx, 'hold.released', ended);
  }
  const changes = segmentChanges(segments, plan.segments);
  for (const id of changes.remove) {
    const ended = await deactivate(tx, id, 'outside_event_changed');
    if (!ended) continue;
    await enqueueBlackoutEvent(tx, 'blackout.deleted', ended);
    outcome.removed += 1;
  }
  for (const period of changes.add) {
    const row = await insertAllocation(tx, {
      itemId,
      kind: 'blackout',
      period,
      bufferMinutes: 0,
      note: OUTSIDE_REASON,
      createdBy: OUTSIDE_CREATOR,
    });
    if (!row) throw new OutsideBlockRaced(`item ${itemId}: ${period.start.toISOString()} taken meanwhile`);
    await enqueueBlackoutEvent(tx, 'blackout.created', row);
    outcome.added += 1;
  }

  for (const event of events) {
    const bookingIds = plan.conflicts.get(event.source);
    if (!bookingIds) {
      if (event.state !== 'blocking') await markOutsideState(tx, event.source, 'blocking', null);
      continue;
    }
    const known =
      event.state === 'conflict' && JSON.stringify(event.conflictBookingIds) === JSON.stringify(bookingIds);
    if (known) continue;
    await markOutsideState(tx, event.source, 'conflict', bookingIds);
    const data = calendarEvents['calendar.conflict'].parse({
      itemId,
      calendarId: event.calendarId,
      googleEventId: event.eventId,
      revision: event.revision,
      start: event.period!.start.toISOString(),
      end: event.period!.end.toISOString(),
      summary: event.summary,
      bookingIds,
      itemName: item.name,
      timezone: item.timezone,
    });
    await enqueueEvent(tx, SCHEMA, { type: 'calendar.conflict', data });
    metrics?.outsideConflicts.inc();
    outcome.conflicts += 1;
  }
  if (outcome.added || outcome.removed) metrics?.outsideBlackoutChanges.inc(outcome.added + outcome.removed);
  return outcome;
}
