/**
 * A booking takes over a hold its guest made (RPC `availability.hold` with holdId): same item,
 * same period, same holder, and a new lifetime for the payment window. A customer's hold is
 * adopted only by that customer, a guest's only with its holdToken: the two proofs are never
 * compared with each other. A hold that has ended is not an obstacle: the slot is simply held
 * afresh, if it is still free.
 */
import { Conflict, NotFound } from '@midas/contracts';
import { adoptHold as writeAdoption, findAllocation, type Allocation } from '../db/allocations';
import { inTransaction } from '../db/transaction';
import type { Period } from '../domain/period';
import type { FlowContext } from './context';
import { holdTokenMatches } from './hold-token';
import { placeHold } from './place-hold';

export interface AdoptRequest {
  holdId: string;
  itemId: string;
  period: Period;
  ref?: string;
  /** The customer asking (token subject). */
  holderSub?: string;
  /** The guest's proof: the holdToken they were given. */
  holdToken?: string;
  ttlSeconds?: number;
}

/** Whose hold it is decides which proof counts; an unclaimed hold (made for a booking) is anyone's. */
export function holdBelongsTo(
  row: Pick<Allocation, 'holderSub' | 'holderTokenHash'>,
  asker: { holderSub?: string; holdToken?: string },
): boolean {
  if (row.holderSub !== null) return asker.holderSub !== undefined && asker.holderSub === row.holderSub;
  if (row.holderTokenHash !== null) return holdTokenMatches(asker.holdToken, row.holderTokenHash);
  return true;
}

function sameSlot(row: Allocation, itemId: string, p: Period): boolean {
  return (
    row.itemId === itemId &&
    row.period.start.getTime() === p.start.getTime() &&
    row.period.end.getTime() === p.end.getTime()
  );
}

export async function adoptHold(ctx: FlowContext, req: AdoptRequest): Promise<Allocation> {
  const outcome = await inTransaction(ctx.db, async (tx) => {
    const row = await findAllocation(tx, req.holdId, { forUpdate: true });
    if (!row || row.kind === 'blackout') throw new NotFound('hold');
    const theirs = holdBelongsTo(row, req);
    if (!theirs) throw new NotFound('hold');
    if (!sameSlot(row, req.itemId, req.period)) {
      throw new Conflict('hold_mismatch', 'The hold is for another item or period');
    }
    if (row.kind === 'booking') {
      if (req.ref !== undefined && row.ref === req.ref) return { adopted: row };
      throw new Conflict('hold_confirmed', 'The hold already became a booking');
    }
    if (row.ref && req.ref && row.ref !== req.ref) {
      throw new Conflict('hold_in_use', 'Another booking is using this hold');
    }
    const lapsed = !row.active || (row.expiresAt !== null && row.expiresAt.getTime() <= ctx.now().getTime());
    if (lapsed) return { retake: true as const };
    return {
      adopted: (await writeAdoption(tx, row.id, req.ref ?? null, req.ttlSeconds ?? ctx.holdTtlSeconds))!,
    };
  });
  if ('retake' in outcome) {
    const placed = await placeHold(ctx, {
      itemId: req.itemId,
      period: req.period,
      // The fresh hold belongs to the booking (ref) alone; a guest's token is never stored as a subject.
      ref: req.ref,
      ttlSeconds: req.ttlSeconds,
      issueToken: false,
      createdBy: 'booking',
    });
    return placed.allocation!;
  }
  if (outcome.adopted.kind === 'hold') await ctx.scheduleExpiry(outcome.adopted);
  return outcome.adopted;
}
