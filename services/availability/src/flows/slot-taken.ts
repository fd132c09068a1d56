/** The 409 for a slot someone else occupies, carrying the reasons a fresh check gives. */
import { Conflict } from '@midas/contracts';
import { occupationsOf } from '../db/occupations';
import type { Period } from '../domain/period';
import { conflictReasons } from '../domain/reasons';
import type { FlowContext } from './context';

export async function slotTaken(ctx: FlowContext, itemId: string, wanted: Period): Promise<Conflict> {
  const now = ctx.now();
  const found = await occupationsOf(ctx.pool, itemId, wanted, now);
  const reasons = found ? conflictReasons(wanted, found.rules.bufferMinutes, found.occupations, now) : [];
  return new Conflict('slot_taken', 'The slot is taken', {
    reasons: reasons.map((r) => ({ code: r.code, start: r.start.toISOString(), end: r.end.toISOString() })),
  });
}
