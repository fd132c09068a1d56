/**
 * The booking service asks for a hold (RPC `availability.hold`): adopt the guest's hold when it
 * names one, answer again with the same hold when a retried ask finds it already made (looked
 * for in the hold's own transaction), or hold the slot afresh.
 */
import type { Allocation } from '../db/allocations';
import { findItem } from '../db/items';
import type { ItemRow } from '../db/schema';
import type { Period } from '../domain/period';
import { adoptHold } from './adopt-hold';
import type { FlowContext } from './context';
import { placeHold } from './place-hold';

export interface BookingHoldRequest {
  itemId: string;
  period: Period;
  holdId?: string;
  ref?: string;
  /** The customer asking; their hold may be adopted by them alone. */
  holderSub?: string;
  /** A guest's holdToken, the only proof that adopts a guest's hold. */
  holdToken?: string;
  /** A guest's address, for the live-hold cap. */
  clientIp?: string;
  ttlSeconds?: number;
}

export interface BookingHold {
  allocation: Allocation;
  /** The held item, so the booking need not ask for it again. */
  item: ItemRow | undefined;
}

/** The hold, with the item it is on (read by the hold itself when it placed one). */
export async function holdForBooking(ctx: FlowContext, req: BookingHoldRequest): Promise<BookingHold> {
  const placed = await holdFor(ctx, req);
  if (placed.item) return { allocation: placed.allocation, item: placed.item };
  return { allocation: placed.allocation, item: await findItem(ctx.db, placed.allocation.itemId) };
}

async function holdFor(
  ctx: FlowContext,
  req: BookingHoldRequest,
): Promise<{ allocation: Allocation; item?: ItemRow }> {
  if (req.holdId) return { allocation: await adoptHold(ctx, { ...req, holdId: req.holdId }) };
  const placed = await placeHold(ctx, {
    itemId: req.itemId,
    period: req.period,
    ref: req.ref,
    reuseRef: true,
    holderSub: req.holderSub,
    holderIp: req.holderSub ? undefined : req.clientIp,
    ttlSeconds: req.ttlSeconds,
    issueToken: false,
    createdBy: 'booking',
  });
  return { allocation: (placed.existing ?? placed.allocation)!, item: placed.item };
}
