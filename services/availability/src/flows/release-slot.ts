/**
 * Frees what a booking occupies (RPC `availability.release`, or a booking leaving the occupying
 * states): its hold or booked slot, wholly, or from a moment on (a no-show frees the rest of
 * its period). Releasing what is already free is a no-op.
 */
import { Conflict, ValidationFailed } from '@midas/contracts';
import type { Tx } from '@midas/db';
import { deactivate, findAllocation, findByRef, truncateFrom, type Allocation } from '../db/allocations';
import { enqueueHoldEnded } from '../events/publish/outbox';

export interface ReleaseRequest {
  holdId?: string;
  bookingId?: string;
  /** Free only from this moment on; what came before stays as it was, without a buffer. */
  from?: Date;
  /** Recorded as the row's ended_reason: released, cancelled, expired, no_show. */
  reason?: string;
}

/** Runs inside the caller's transaction (an RPC's own, or a consumer's inbox transaction). */
export async function releaseSlot(tx: Tx, req: ReleaseRequest): Promise<Allocation[]> {
  if (!req.holdId && !req.bookingId) {
    throw new ValidationFailed('Give holdId or bookingId', [
      { field: 'holdId', message: 'or bookingId is required' },
    ]);
  }
  const rows: Allocation[] = [];
  if (req.holdId) {
    const row = await findAllocation(tx, req.holdId, { forUpdate: true });
    if (row && row.kind !== 'blackout') {
      if (req.bookingId && row.ref && row.ref !== req.bookingId) {
        throw new Conflict('hold_in_use', 'This hold belongs to another booking');
      }
      rows.push(row);
    }
  }
  if (req.bookingId) {
    for (const row of await findByRef(tx, req.bookingId))
      if (!rows.some((r) => r.id === row.id)) rows.push(row);
  }
  const changed: Allocation[] = [];
  for (const row of rows.filter((r) => r.active)) {
    const after =
      req.from && row.kind === 'booking'
        ? await truncateFrom(tx, row.id, req.from)
        : await deactivate(tx, row.id, req.reason ?? 'released');
    if (!after) continue;
    changed.push(after);
    if (after.kind === 'hold' && !after.active) await enqueueHoldEnded(tx, 'hold.released', after);
  }
  return changed;
}
