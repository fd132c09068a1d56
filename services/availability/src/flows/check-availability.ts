/** Is one item free for a period, and if not, every reason why. */
import { NotFound } from '@midas/contracts';
import { occupationsOf } from '../db/occupations';
import type { Period } from '../domain/period';
import { explainAvailability, type Reason } from '../domain/reasons';
import type { FlowContext } from './context';

export interface AvailabilityAnswer {
  available: boolean;
  reasons: Reason[];
}

export async function checkAvailability(
  ctx: FlowContext,
  itemId: string,
  wanted: Period,
  viewer: { staff: boolean },
): Promise<AvailabilityAnswer> {
  const now = ctx.now();
  const found = await occupationsOf(ctx.pool, itemId, wanted, now);
  if (!found || (!found.rules.active && !viewer.staff)) throw new NotFound('item');
  return explainAvailability(found.rules, wanted, found.occupations, now);
}
