/** The public shape of a hold, as returned by POST /v1/holds and replayed for its Idempotency-Key. */
import type { Allocation } from '../db/allocations';

export interface HoldView {
  id: string;
  itemId: string;
  start: string;
  end: string;
  expiresAt: string;
  holdToken?: string;
}

export function holdViewOf(a: Allocation, holdToken?: string): HoldView {
  const view: HoldView = {
    id: a.id,
    itemId: a.itemId,
    start: a.period.start.toISOString(),
    end: a.period.end.toISOString(),
    // A hold always has an expiry; a row that already became a booking no longer lapses before it starts.
    expiresAt: (a.expiresAt ?? a.period.start).toISOString(),
  };
  if (holdToken) view.holdToken = holdToken;
  return view;
}
