/** Automatic completion at the end: a booking still in progress becomes `completed` (actor system). */
import { lockBooking } from '../db/bookings';
import { judgeCompletion } from '../domain/attendance';
import { SYSTEM, type FlowContext } from './context';
import type { MomentOutcome } from './mark-no-show';
import { tryTransition } from './transition-booking';

export async function completeBooking(
  deps: Pick<FlowContext, 'db' | 'now'>,
  bookingId: string,
): Promise<MomentOutcome> {
  return deps.db.transaction(async (tx) => {
    const booking = await lockBooking(tx, bookingId);
    if (!booking) return { kind: 'skipped' };
    const verdict = judgeCompletion({ status: booking.status, end: booking.endAt, now: deps.now() });
    if (verdict.kind !== 'act') return verdict.kind === 'wait' ? verdict : { kind: 'skipped' };
    const updated = await tryTransition(tx, { booking, to: 'completed', actor: SYSTEM, reason: 'ended' });
    return updated ? { kind: 'done' } : { kind: 'skipped' };
  });
}
