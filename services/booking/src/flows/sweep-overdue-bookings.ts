/**
 * The repair for lifecycle moments whose delayed job never ran: no-show checks past start + grace,
 * bookings in progress past their end, and unpaid bookings whose hold lapsed (normally ended by
 * availability's hold.expired; this catches any that slipped through). Each goes through the same
 * flow as its job, so running beside one changes nothing twice. Changes waiting for their
 * payment past their time lapse here too.
 */
import { availabilityRpc } from '@midas/contracts';
import { lapsedUnpaidBookings, overdueCompletions, overdueNoShows } from '../db/overdue-bookings';
import { completeBooking } from './complete-booking';
import { lapsePendingChanges } from './drop-pending-change';
import type { FlowContext } from './context';
import { expireBookingNow } from './expire-booking';
import { markNoShow } from './mark-no-show';

const BATCH = 200;

export interface OverdueSweep {
  noShows: number;
  completed: number;
  expired: number;
  changesLapsed: number;
}

export async function sweepOverdueBookings(
  deps: FlowContext,
  opts: { graceMinutes: number; unpaidGraceMs: number },
): Promise<OverdueSweep> {
  const now = deps.now();
  const result: OverdueSweep = { noShows: 0, completed: 0, expired: 0, changesLapsed: 0 };
  for (const id of await overdueNoShows(deps.db, now, opts.graceMinutes, BATCH)) {
    if ((await markNoShow(deps, id, opts.graceMinutes)).kind === 'done') result.noShows++;
  }
  for (const id of await overdueCompletions(deps.db, now, BATCH)) {
    if ((await completeBooking(deps, id)).kind === 'done') result.completed++;
  }
  const lapsed = await lapsedUnpaidBookings(deps.db, new Date(now.getTime() - opts.unpaidGraceMs), BATCH);
  for (const { id, holdId } of lapsed) {
    if ((await expireBookingNow(deps, id)) !== 'expired') continue;
    result.expired++;
    // Availability normally ended the hold already; releasing it again is harmless.
    await deps.rpc
      .call(availabilityRpc.release, { holdId }, { timeoutMs: deps.rpcTimeoutMs })
      .catch((err: unknown) => deps.logger.warn({ err, bookingId: id }, 'could not release a lapsed hold'));
  }
  result.changesLapsed = await lapsePendingChanges(deps, BATCH);
  return result;
}
