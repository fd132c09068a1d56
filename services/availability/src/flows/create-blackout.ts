/**
 * Staff block an item (maintenance, owner use). A blackout never silently displaces a booking:
 * without force it is refused when it overlaps one; with force (admins only) the bookings and
 * holds in the way stop blocking, and their booking ids travel with the blackout.created event
 * so staff can move or cancel them.
 */
import { Conflict, Forbidden, NotFound } from '@midas/contracts';
import {
  deactivate,
  deactivateLapsedHolds,
  insertAllocation,
  lockOverlapping,
  type Allocation,
} from '../db/allocations';
import { findItem } from '../db/items';
import { inTransaction } from '../db/transaction';
import { enqueueBlackoutEvent, enqueueHoldEnded } from '../events/publish/outbox';
import type { Period } from '../domain/period';
import { actsOnItem, type StaffActor } from '../domain/staff-scope';
import type { FlowContext } from './context';
import { slotTaken } from './slot-taken';
import { outsideScope } from './outside-scope';

export interface BlackoutRequest {
  itemId: string;
  period: Period;
  reason: string;
  force: boolean;
  actor: StaffActor & { sub?: string };
}

export interface CreatedBlackout {
  blackout: Allocation;
  affectedBookingIds: string[];
  /** Rows the blackout displaced (forced) and lapsed holds ended on the way. */
  displaced: Allocation[];
  expired: Allocation[];
}

function describe(rows: Allocation[]) {
  return rows.map((r) => ({
    kind: r.kind,
    start: r.period.start.toISOString(),
    end: r.period.end.toISOString(),
    ...(r.ref ? { bookingId: r.ref } : {}),
  }));
}

export async function createBlackout(ctx: FlowContext, req: BlackoutRequest): Promise<CreatedBlackout> {
  if (req.force && !req.actor.admin) throw new Forbidden('Only admins may force a blackout over bookings');
  const result = await inTransaction(ctx.db, async (tx) => {
    const item = await findItem(tx, req.itemId);
    if (!item) throw new NotFound('item');
    if (!actsOnItem(req.actor, item.location)) throw outsideScope(req.actor, item.location);
    const expired = await deactivateLapsedHolds(tx, { itemId: item.id });
    for (const row of expired) await enqueueHoldEnded(tx, 'hold.expired', row);
    const inTheWay = await lockOverlapping(tx, item.id, req.period);
    const blackouts = inTheWay.filter((r) => r.kind === 'blackout');
    const others = inTheWay.filter((r) => r.kind !== 'blackout');
    if (blackouts.length) {
      throw new Conflict('overlaps_blackout', 'Another blackout already covers part of this period', {
        conflicts: describe(blackouts),
      });
    }
    if (others.length && !req.force) {
      const bookings = others.filter((r) => r.kind === 'booking');
      throw new Conflict(
        bookings.length ? 'overlaps_booking' : 'overlaps_hold',
        bookings.length
          ? 'The blackout overlaps confirmed bookings; an admin may force it'
          : 'The blackout overlaps a hold in progress; an admin may force it',
        { conflicts: describe(others) },
      );
    }
    const displaced: Allocation[] = [];
    for (const row of others) {
      const ended = await deactivate(tx, row.id, 'blackout_override');
      if (!ended) continue;
      displaced.push(ended);
      if (ended.kind === 'hold') await enqueueHoldEnded(tx, 'hold.released', ended);
    }
    const blackout = await insertAllocation(tx, {
      itemId: item.id,
      kind: 'blackout',
      period: req.period,
      bufferMinutes: 0,
      note: req.reason,
      createdBy: req.actor.sub ?? null,
    });
    if (!blackout) return undefined;
    const affectedBookingIds = [
      ...new Set(displaced.map((r) => r.ref).filter((ref): ref is string => ref !== null)),
    ];
    await enqueueBlackoutEvent(tx, 'blackout.created', blackout, affectedBookingIds);
    return { blackout, affectedBookingIds, displaced, expired };
  });
  // Something was committed into the period between our lock and our insert.
  if (!result) throw await slotTaken(ctx, req.itemId, req.period);
  return result;
}
