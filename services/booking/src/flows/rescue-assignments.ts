/**
 * The rescue of confirmed bookings left without a concierge: each is offered to the automatic
 * rule again, soonest start first, whenever capacity may have appeared (a concierge added,
 * re-activated or given more room, an assignment freed) and on a schedule. A booking still
 * unassigned close to its start is announced once (`booking.unassigned_near_start`), which
 * notification turns into an email to the admins.
 */
import { enqueueEvent } from '@midas/messaging';
import { flagUnassignedNearStart, unassignedBookingIds } from '../db/unassigned-bookings';
import { summaryOf } from '../events/publish/booking-summary';
import { assignConcierge } from './assign-concierge';
import type { FlowContext } from './context';

export interface RescueOptions {
  /** How long before its start an unassigned booking becomes an alert (hours). */
  alertHours: number;
  /** Bookings looked at per run. */
  batch: number;
}

export interface RescueOutcome {
  assigned: number;
  waiting: number;
  alerted: number;
}

export async function rescueAssignments(
  deps: Pick<FlowContext, 'db' | 'now' | 'logger'>,
  opts: RescueOptions,
): Promise<RescueOutcome> {
  const ids = await unassignedBookingIds(deps.db, deps.now(), opts.batch);
  let assigned = 0;
  for (const [i, id] of ids.entries()) {
    if (await assignConcierge(deps.db, id)) {
      assigned += 1;
      continue;
    }
    // The rule falls back to any location: one booking nobody can take means nobody has room
    // for the rest either (unless it was cancelled meanwhile, which the next run sorts out).
    return { assigned, waiting: ids.length - i, alerted: await alertNearStart(deps, opts) };
  }
  return { assigned, waiting: 0, alerted: await alertNearStart(deps, opts) };
}

async function alertNearStart(deps: Pick<FlowContext, 'db' | 'now' | 'logger'>, opts: RescueOptions) {
  const flagged = await deps.db.transaction(async (tx) => {
    const rows = await flagUnassignedNearStart(tx, deps.now(), opts.alertHours, opts.batch);
    for (const booking of rows) {
      await enqueueEvent(tx, 'booking', {
        type: 'booking.unassigned_near_start',
        data: { ...summaryOf(booking), hoursBefore: opts.alertHours },
      });
    }
    return rows;
  });
  for (const booking of flagged) {
    deps.logger.warn(
      { bookingId: booking.id, location: booking.location, start: booking.startAt.toISOString() },
      'confirmed booking still has no concierge close to its start; admins alerted',
    );
  }
  return flagged.length;
}
