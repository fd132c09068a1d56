/** Queues a fresh Google write for every entry of a linked item matching the filter (none when sync is off). */
import { listLinkedEntries, markSyncPending, type EntryFilter } from '../db/entries';
import { newBatchId } from '../jobs/sync-queue';
import type { FlowContext } from './context';

export async function queueBulkSync(ctx: FlowContext, filter: EntryFilter): Promise<number> {
  if (!ctx.google) return 0;
  return ctx.db.transaction(async (tx) => {
    const entries = await listLinkedEntries(tx, filter);
    for (const e of entries) await markSyncPending(tx, e.kind, e.ref, e.calendarId);
    const batch = newBatchId();
    // addBulk in slices keeps one Redis call from growing without bound.
    for (let i = 0; i < entries.length; i += 500) {
      await ctx.queue.enqueueWrites(
        entries.slice(i, i + 500).map((e) => ({ entryKind: e.kind, ref: e.ref, sequence: e.sequence })),
        batch,
      );
    }
    ctx.logger.info({ filter, queued: entries.length, batch }, 'calendar resync queued');
    return entries.length;
  });
}
