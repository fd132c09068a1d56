/**
 * Holding a slot: the insert is the check. Lapsed holds of the item are ended in the same
 * transaction first, so a late expiry job never blocks a customer; then the hold is inserted
 * with ON CONFLICT DO NOTHING and "no row" means the slot is taken.
 */
import { Conflict, NotFound, RuleViolation } from '@midas/contracts';
import { pgErrorCode, PgCode, type Tx } from '@midas/db';
import { derivedSecret, removedSecrets, requestHash, withoutSecrets } from '@midas/http';
import {
  deactivateLapsedHolds,
  findByRef,
  insertAllocation,
  replaceHolderToken,
  type Allocation,
} from '../db/allocations';
import { claimKey, recordResponse } from '../db/hold-requests';
import { findItem } from '../db/items';
import type { ItemRow } from '../db/schema';
import { inTransaction } from '../db/transaction';
import type { Period } from '../domain/period';
import { ruleReasons } from '../domain/reasons';
import type { FlowContext } from './context';
import { hashHoldToken, newHoldToken } from './hold-token';
import { holdViewOf, type HoldView } from './hold-view';
import { itemRulesOf } from './item-view';
import { enqueueHoldCreated, enqueueHoldEnded } from '../events/publish/outbox';
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
  /** Idempotency-Key of the request, scoped to its caller, with the request it came with. */
  idempotency?: { scope: string; key: string; request: unknown };
  createdBy?: string;
  /** Give a guest a holdToken to prove the hold is theirs (HTTP); RPC callers keep their own proof. */
  issueToken?: boolean;
  /** Answer with an active hold of `ref` on the same item and period instead of a new one (a retried ask). */
  reuseRef?: boolean;
}

export interface PlacedHold {
  status: number;
  body: HoldView;
  /** Undefined when the response is a replay of an earlier one. */
  allocation?: Allocation;
  /** Holds of the item that had lapsed and were ended on the way. */
  expired: Allocation[];
  /** The item as the hold read it. */
  item?: ItemRow;
  /** The hold of `ref` an earlier ask made (`reuseRef`), answered again. */
  existing?: Allocation;
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
        const { scope, key } = req.idempotency;
        const hash = requestHash(req.idempotency.request);
        const claim = await claimKey(tx, scope, key, hash);
        if (!claim.claimed) {
          if (claim.requestHash !== hash) {
            throw new Conflict(
              'idempotency_key_reused',
              'This Idempotency-Key was used with a different request',
            );
          }
          const body = await replayed(ctx, tx, req, claim.response);
          return { status: claim.status ?? 201, body, expired: [] };
        }
      }
      // Read in this transaction rather than before it: one commit fewer per booking.
      const existing = req.reuseRef && req.ref ? await activeHoldOf(tx, req.ref, req) : undefined;
      const item = await findItem(tx, req.itemId);
      if (existing) return { status: 201, body: holdViewOf(existing), expired: [], item, existing };
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
      const holdToken = req.holderSub || req.issueToken === false ? undefined : holdTokenFor(ctx, req);
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
      if (req.idempotency) {
        const kept = withoutSecrets(body, ['holdToken']);
        await recordResponse(tx, req.idempotency.scope, req.idempotency.key, 201, kept);
      }
      return { status: 201, body, allocation, expired, item };
    });
  } catch (err) {
    // The constraint itself may still speak (e.g. a row committed between statements): same answer.
    if (err instanceof SlotTakenSignal || pgErrorCode(err) === PgCode.exclusionViolation) {
      throw await slotTaken(ctx, req.itemId, req.period);
    }
    throw err;
  }
}

/** The active row `ref` holds on the item for exactly this period, if any. */
async function activeHoldOf(tx: Tx, ref: string, req: HoldRequest): Promise<Allocation | undefined> {
  return (await findByRef(tx, ref)).find(
    (r) =>
      r.active &&
      r.itemId === req.itemId &&
      r.period.start.getTime() === req.period.start.getTime() &&
      r.period.end.getTime() === req.period.end.getTime(),
  );
}

/** A guest's hold token: derived from the server secret and the request's key when it has one, so a replay gives it again. */
function holdTokenFor(ctx: FlowContext, req: HoldRequest): string {
  if (!ctx.tokenSecret || !req.idempotency) return newHoldToken();
  return derivedSecret(ctx.tokenSecret, 'hold-token', `${req.idempotency.scope}\n${req.idempotency.key}`);
}

/**
 * A kept hold response comes back without its holdToken (only its hash is ever stored): it is
 * derived again, or, without a server secret, a fresh one replaces the old so the answer works.
 */
async function replayed(ctx: FlowContext, tx: Tx, req: HoldRequest, kept: unknown): Promise<HoldView> {
  const { body, removed } = removedSecrets(kept);
  const view = body as HoldView;
  if (!removed.includes('holdToken')) return view;
  if (ctx.tokenSecret && req.idempotency) return { ...view, holdToken: holdTokenFor(ctx, req) };
  const holdToken = newHoldToken();
  await replaceHolderToken(tx, view.id, hashHoldToken(holdToken));
  return { ...view, holdToken };
}
