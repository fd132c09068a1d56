/**
 * Holding a slot: the insert is the check. Lapsed holds of the item are ended in the same
 * transaction first, so a late expiry job never blocks a customer; then the hold is inserted
 * with ON CONFLICT DO NOTHING and "no row" means the slot is taken.
 */
import { Conflict, NotFound, RuleViolation } from '@midas/contracts';
import { pgErrorCode, PgCode } from '@midas/db';
import { deactivateLapsedHolds, insertAllocation, type Allocation } from '../db/allocations';
import { claimKey, recordResponse } from '../db/hold-requests';
import { findItem } from '../db/items';
import { inTransaction } from '../db/transaction';
import type { Period } from '../domain/period';
import { ruleReasons } from '../domain/reasons';
import type { FlowContext } from './context';
import { hashHoldToken, newHoldToken } from './hold-token';
import { holdViewOf, type HoldView } from './hold-view';
import { itemRulesOf } from './item-view';
import { enqueueHoldCreated, enqueueHoldEnded } from '../events/outbox';
import { enforceHoldCap } from './hold-cap';
import { slotTaken } from './slot-taken';

export interface HoldRequest {
  itemId: string;
  period: Period;
  /** The holder's token subject; without one (a guest) the hold gets a holdToken instead. */
  holderSub?: string;
  /** A guest's address (as the gateway established it): the cap counts guests' holds by it. */
  holderIp?: string;
  /** The booking the hold is for, when booking asks. */
  ref?: string;
  ttlSeconds?: number;
  /** Idempotency-Key of the request, scoped to its caller, with a hash of the request it came with. */
  idempotency?: { scope: string; key: string; requestHash: string };
  createdBy?: string;
  /** Give a guest a holdToken to prove the hold is theirs (HTTP); RPC callers keep their own proof. */
  issueToken?: boolean;
}

export interface PlacedHold {
  status: number;
  body: HoldView;
  /** Undefined when the response is a replay of an earlier one. */
  allocation?: Allocation;
  /** Holds of the item that had lapsed and were ended on the way. */
  expired: Allocation[];
}

class SlotTakenSignal extends Error {}

export function serializeReasons(reasons: { code: string; start: Date; end: Date }[]) {
  return reasons.map((r) => ({ code: r.code, start: r.start.toISOString(), end: r.end.toISOString() }));
}

export async function placeHold(ctx: FlowContext, req: HoldRequest): Promise<PlacedHold> {
  let placed: PlacedHold;
  try {
    placed = await insertHold(ctx, req);
  } catch (err) {
    if (err instanceof Conflict && err.code === 'slot_taken') ctx.metrics.holds.inc({ outcome: 'taken' });
    if (err instanceof RuleViolation) ctx.metrics.holds.inc({ outcome: 'rule' });
    throw err;
  }
  ctx.metrics.holds.inc({ outcome: placed.allocation ? 'granted' : 'replayed' });
  if (placed.expired.length) ctx.metrics.holdsExpired.inc({ path: 'lazy' }, placed.expired.length);
  if (placed.allocation) await ctx.scheduleExpiry(placed.allocation);
  return placed;
}

async function insertHold(ctx: FlowContext, req: HoldRequest): Promise<PlacedHold> {
  try {
    return await inTransaction(ctx.db, async (tx) => {
      if (req.idempotency) {
        const { scope, key, requestHash } = req.idempotency;
        const claim = await claimKey(tx, scope, key, requestHash);
        if (!claim.claimed) {
          if (claim.requestHash !== requestHash) {
            throw new Conflict(
              'idempotency_key_reused',
              'This Idempotency-Key was used with a different request',
            );
          }
          return { status: claim.status ?? 201, body: claim.response as HoldView, expired: [] };
        }
      }
      const item = await findItem(tx, req.itemId);
      if (!item || !item.active) throw new NotFound('item');
      const reasons = ruleReasons(itemRulesOf(item), req.period, ctx.now());
      if (reasons.length) {
        throw new RuleViolation(
          reasons[0]!.code,
          `The slot breaks the item's rules: ${reasons.map((r) => r.code).join(', ')}`,
          {
            reasons: serializeReasons(reasons),
          },
        );
      }
      const expired = await deactivateLapsedHolds(tx, { itemId: item.id });
      for (const row of expired) await enqueueHoldEnded(tx, 'hold.expired', row);
      await enforceHoldCap(ctx, tx, req);
      const holdToken = req.holderSub || req.issueToken === false ? undefined : newHoldToken();
      const allocation = await insertAllocation(tx, {
        itemId: item.id,
        kind: 'hold',
        period: req.period,
        bufferMinutes: item.bufferMinutes,
        ref: req.ref,
        holderSub: req.holderSub,
        holderTokenHash: holdToken ? hashHoldToken(holdToken) : null,
        holderIp: req.holderSub ? null : (req.holderIp ?? null),
        ttlSeconds: req.ttlSeconds ?? ctx.holdTtlSeconds,
        createdBy: req.createdBy ?? req.holderSub ?? 'guest',
      });
      if (!allocation) throw new SlotTakenSignal();
      await enqueueHoldCreated(tx, allocation);
      const body = holdViewOf(allocation, holdToken);
      if (req.idempotency) await recordResponse(tx, req.idempotency.scope, req.idempotency.key, 201, body);
      return { status: 201, body, allocation, expired };
    });
  } catch (err) {
    // The constraint itself may still speak (e.g. a row committed between statements): same answer.
    if (err instanceof SlotTakenSignal || pgErrorCode(err) === PgCode.exclusionViolation) {
      throw await slotTaken(ctx, req.itemId, req.period);
    }
    throw err;
  }
}
