/** The RPC methods availability answers for booking and pricing (schemas in @midas/contracts). */
import { availabilityRpc, NotFound } from '@midas/contracts';
import type { Broker } from '@midas/messaging';
import { findItem } from '../db/items';
import { inTransaction } from '../db/transaction';
import { confirmHold } from '../flows/confirm-hold';
import type { FlowContext } from '../flows/context';
import { holdForBooking } from '../flows/hold-for-booking';
import { itemSnapshotOf } from '../flows/item-view';
import { moveSlot } from '../flows/move-slot';
import { readPeriod } from '../flows/read-period';
import { releaseSlot } from '../flows/release-slot';

/** The most a caller may ask a hold to live: a day, like HOLD_TTL_SECONDS. */
const MAX_TTL_SECONDS = 86_400;

export async function serveRpc(broker: Broker, ctx: FlowContext): Promise<void> {
  await broker.serve(availabilityRpc.hold, async (req) => {
    const { allocation: hold, item } = await holdForBooking(ctx, {
      itemId: req.itemId,
      period: readPeriod(req.start, req.end),
      holdId: req.holdId,
      ref: req.ref,
      holderSub: req.holderSub,
      holdToken: req.holdToken,
      clientIp: req.clientIp,
      ttlSeconds: req.ttlSeconds === undefined ? undefined : Math.min(req.ttlSeconds, MAX_TTL_SECONDS),
    });
    return {
      holdId: hold.id,
      itemId: hold.itemId,
      start: hold.period.start.toISOString(),
      end: hold.period.end.toISOString(),
      // A retried ask may find the hold already booked: it no longer lapses before it starts.
      expiresAt: (hold.expiresAt ?? hold.period.start).toISOString(),
      ...(item ? { item: itemSnapshotOf(item) } : {}),
    };
  });

  await broker.serve(availabilityRpc.confirm, async (req) => {
    const confirmed = await confirmHold(ctx, req.holdId, req.bookingId, {
      replacing: req.replacing ?? false,
    });
    return { allocationId: confirmed.allocation.id, retaken: confirmed.retaken };
  });

  await broker.serve(availabilityRpc.release, async (req) => {
    const changed = await inTransaction(ctx.db, (tx) =>
      releaseSlot(tx, {
        holdId: req.holdId,
        bookingId: req.bookingId,
        from: req.from === undefined ? undefined : new Date(req.from),
      }),
    );
    return { released: changed.length > 0 };
  });

  await broker.serve(availabilityRpc.move, async (req) => {
    const moved = await moveSlot(ctx, req.bookingId, readPeriod(req.start, req.end));
    return { start: moved.period.start.toISOString(), end: moved.period.end.toISOString() };
  });

  await broker.serve(availabilityRpc.getItem, async (req) => {
    const row = await findItem(ctx.db, req.itemId);
    if (!row) throw new NotFound('item');
    return itemSnapshotOf(row);
  });
}
