/**
 * Payment succeeded: the hold becomes a booked slot in place (same row, so nothing can slip in
 * between). If the hold lapsed meanwhile, the slot is taken again when it is still free;
 * otherwise slot_taken, and booking refunds the guest.
 */
import { Conflict, NotFound } from '@midas/contracts';
import type { Tx } from '@midas/db';
import {
  convertToBooking,
  deactivate,
  deactivateLapsedHolds,
  findAllocation,
  findByRef,
  insertAllocation,
  type Allocation,
} from '../db/allocations';
import { inTransaction } from '../db/transaction';
import { enqueueHoldEnded } from '../events/publish/outbox';
import type { FlowContext } from './context';
import { slotTaken } from './slot-taken';

export interface Confirmed {
  allocation: Allocation;
  /** True when the hold had lapsed and the slot was taken afresh. */
  retaken: boolean;
  /** The hold converted in place by this call, as it was (its expiry job is no longer needed). */
  converted?: Allocation;
}

const MINUTE = 60_000;

/** Results that converted a hold in this call (not a repeated answer). */
const fresh = new WeakSet<Confirmed>();
function mark(confirmed: Confirmed): Confirmed {
  fresh.add(confirmed);
  return confirmed;
}

export async function confirmHold(
  ctx: FlowContext,
  holdId: string,
  bookingId: string,
  opts: { replacing?: boolean } = {},
): Promise<Confirmed> {
  const result = await inTransaction(ctx.db, async (tx): Promise<Confirmed | { taken: Allocation }> => {
    const confirmed = await confirmIn(tx, ctx, holdId, bookingId, opts.replacing ?? false);
    if ('allocation' in confirmed && opts.replacing) {
      // The booking's earlier slot gives way to the one its paid change holds.
      for (const other of await findByRef(tx, bookingId)) {
        if (other.kind === 'booking' && other.active && other.id !== confirmed.allocation.id)
          await deactivate(tx, other.id, 'moved');
      }
    }
    return confirmed;
  });
  if ('taken' in result) throw await slotTaken(ctx, result.taken.itemId, result.taken.period);
  // The hold is a booked slot now: its expiry job would only find nothing to do.
  if (result.converted) await ctx.cancelExpiry?.(result.converted);
  // Hold conversion counts paid holds only, once each: an answer repeated for the same booking is not a new one.
  // A paid change's hold is the booking's new dates, not a guest's hold converted.
  if (!fresh.has(result) || opts.replacing) return result;
  ctx.metrics.holdsEnded.inc({ outcome: 'converted' });
  return result;
}

async function confirmIn(
  tx: Tx,
  ctx: FlowContext,
  holdId: string,
  bookingId: string,
  replacing: boolean,
): Promise<Confirmed | { taken: Allocation }> {
  const row = await findAllocation(tx, holdId, { forUpdate: true });
  if (!row || row.kind === 'blackout') throw new NotFound('hold');
  if (row.kind === 'booking') {
    if (row.ref === bookingId) return { allocation: row, retaken: false };
    throw new Conflict('hold_confirmed', 'This hold already became another booking');
  }
  if (row.ref && row.ref !== bookingId)
    throw new Conflict('hold_in_use', 'Another booking is using this hold');
  const lapsed = row.expiresAt !== null && row.expiresAt.getTime() <= ctx.now().getTime();
  if (row.active) {
    // Still ours, even past its time: nothing else could have taken it while the row was active.
    return mark({
      allocation: (await convertToBooking(tx, row.id, bookingId))!,
      retaken: lapsed,
      converted: row,
    });
  }
  // Asked again after a re-take: answer as before. For a change of dates the booking's earlier
  // slot is also a booked row of this booking, so only one over the hold's own period counts.
  const existing = (await findByRef(tx, bookingId)).find(
    (r) =>
      r.kind === 'booking' &&
      r.active &&
      (!replacing ||
        (r.period.start.getTime() === row.period.start.getTime() &&
          r.period.end.getTime() === row.period.end.getTime())),
  );
  if (existing) return { allocation: existing, retaken: true };
  const expired = await deactivateLapsedHolds(tx, { itemId: row.itemId });
  for (const e of expired) await enqueueHoldEnded(tx, 'hold.expired', e);
  const retaken = await insertAllocation(tx, {
    itemId: row.itemId,
    kind: 'booking',
    period: row.period,
    bufferMinutes: Math.round((row.blocked.end.getTime() - row.period.end.getTime()) / MINUTE),
    ref: bookingId,
    createdBy: 'booking',
  });
  if (!retaken) return { taken: row };
  return mark({ allocation: retaken, retaken: true });
}
