/**
 * The no-show check at start + NO_SHOW_GRACE_MINUTES: a booking still awaiting its guest becomes
 * `no_show` (actor system). Its booking.status_changed event is what frees the rest of the
 * period in availability. A booking checked in, cancelled or moved later is left alone.
 */
import { lockBooking } from '../db/bookings';
import { judgeNoShow, type MomentVerdict } from '../domain/attendance';
import { SYSTEM, type FlowContext } from './context';
import { tryTransition } from './transition-booking';

export type MomentOutcome = { kind: 'done' } | { kind: 'wait'; until: Date } | { kind: 'skipped' };

export async function markNoShow(
  deps: Pick<FlowContext, 'db' | 'now'>,
  bookingId: string,
  graceMinutes: number,
): Promise<MomentOutcome> {
  return deps.db.transaction(async (tx) => {
    const booking = await lockBooking(tx, bookingId);
    if (!booking) return { kind: 'skipped' };
    const verdict: MomentVerdict = judgeNoShow({
      status: booking.status,
      start: booking.startAt,
      graceMinutes,
      now: deps.now(),
    });
    if (verdict.kind !== 'act') return verdict.kind === 'wait' ? verdict : { kind: 'skipped' };
    const updated = await tryTransition(tx, {
      booking,
      to: 'no_show',
      actor: SYSTEM,
      reason: 'no_check_in',
      details: { graceMinutes },
    });
    return updated ? { kind: 'done' } : { kind: 'skipped' };
  });
}
