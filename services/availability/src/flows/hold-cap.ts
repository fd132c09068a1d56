/**
 * MAX_ACTIVE_HOLDS_PER_HOLDER: one customer (by subject) or one guest address may keep only so
 * many slots held at once, holds behind unpaid bookings included; over it → 429
 * `too_many_active_holds` with Retry-After at the moment the first of their holds lapses.
 * Counted inside the hold's own transaction under a per-holder advisory lock, so concurrent
 * requests cannot each see room for one more.
 */
import { TooManyRequests } from '@midas/contracts';
import type { Tx } from '@midas/db';
import { liveHolds, lockHolder, type Holder } from '../db/live-holds';
import type { FlowContext } from './context';

export function holderOf(req: { holderSub?: string; holderIp?: string }): Holder | undefined {
  if (req.holderSub) return { sub: req.holderSub };
  if (req.holderIp) return { ip: req.holderIp };
  return undefined;
}

export async function enforceHoldCap(
  ctx: FlowContext,
  tx: Tx,
  req: { holderSub?: string; holderIp?: string },
): Promise<void> {
  const cap = ctx.maxActiveHoldsPerHolder;
  const holder = holderOf(req);
  if (cap <= 0 || !holder) return;
  await lockHolder(tx, holder);
  const live = await liveHolds(tx, holder);
  if (live.count < cap) return;
  const now = ctx.now().getTime();
  const retryAfterSeconds = Math.max(
    1,
    Math.ceil(((live.nextExpiry?.getTime() ?? now + ctx.holdTtlSeconds * 1000) - now) / 1000),
  );
  ctx.metrics.holds.inc({ outcome: 'capped' });
  throw new TooManyRequests(
    'too_many_active_holds',
    `You already hold ${live.count} slots (the most is ${cap}); pay for or release one, or wait until one lapses`,
    { limit: cap, active: live.count, retryAfterSeconds },
  );
}
