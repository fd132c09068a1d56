/**
 * A booking changes dates (RPC `availability.move`): its row gets the new range and the
 * exclusion constraint judges it. On conflict the transaction rolls back, so the old range is
 * kept, and the caller gets slot_taken.
 */
import { NotFound, RuleViolation } from '@midas/contracts';
import { pgErrorCode, PgCode } from '@midas/db';
import { deactivateLapsedHolds, findByRef, moveAllocation, type Allocation } from '../db/allocations';
import { findItem } from '../db/items';
import { inTransaction } from '../db/transaction';
import type { Period } from '../domain/period';
import { ruleReasons } from '../domain/reasons';
import { enqueueHoldEnded } from '../events/publish/outbox';
import type { FlowContext } from './context';
import { itemRulesOf } from './item-view';
import { serializeReasons } from './place-hold';
import { slotTaken } from './slot-taken';

export async function moveSlot(ctx: FlowContext, bookingId: string, period: Period): Promise<Allocation> {
  let itemId: string | undefined;
  try {
    return await inTransaction(ctx.db, async (tx) => {
      const rows = await findByRef(tx, bookingId);
      // The booked slot if there is one, else the hold; an inactive row is one a forced blackout displaced.
      const row = rows.find((r) => r.kind === 'booking') ?? rows.find((r) => r.kind === 'hold' && r.active);
      if (!row) throw new NotFound('booking slot');
      itemId = row.itemId;
      const item = await findItem(tx, row.itemId);
      if (!item) throw new NotFound('item');
      const startUnchanged = period.start.getTime() === row.period.start.getTime();
      // A stay already under way may still be extended: its start is in the past but is not being changed.
      const reasons = ruleReasons({ ...itemRulesOf(item), active: true }, period, ctx.now()).filter(
        (r) => !(startUnchanged && (r.code === 'in_past' || r.code === 'min_notice')),
      );
      if (reasons.length) {
        throw new RuleViolation(
          reasons[0]!.code,
          `The new dates break the item's rules: ${reasons.map((r) => r.code).join(', ')}`,
          {
            reasons: serializeReasons(reasons),
          },
        );
      }
      const expired = await deactivateLapsedHolds(tx, { itemId: row.itemId });
      for (const e of expired) await enqueueHoldEnded(tx, 'hold.expired', e);
      return (await moveAllocation(tx, row.id, period, item.bufferMinutes))!;
    });
  } catch (err) {
    if (pgErrorCode(err) === PgCode.exclusionViolation && itemId) throw await slotTaken(ctx, itemId, period);
    throw err;
  }
}
