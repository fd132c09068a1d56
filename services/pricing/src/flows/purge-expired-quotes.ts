/** Removes quotes long past their expiry: no booking can lock them any more, and they only grow the table. */
import { deleteQuotesExpiredBefore } from '../db/quotes';
import type { FlowContext } from './context';

/** Kept a week after expiry, so support can still read a quote a guest asks about. */
export const QUOTE_RETENTION_MS = 7 * 24 * 3_600_000;
const BATCH = 5_000;

export async function purgeExpiredQuotes(deps: FlowContext): Promise<number> {
  const cutoff = new Date(deps.now().getTime() - QUOTE_RETENTION_MS);
  let purged = 0;
  // Small batches keep each delete's locks and WAL short while quoting goes on.
  for (;;) {
    const deleted = await deleteQuotesExpiredBefore(deps.db, cutoff, BATCH);
    purged += deleted;
    if (deleted < BATCH) return purged;
  }
}
