/**
 * An item's time zone as its item event gives it: stored entries in another zone (the zone changed,
 * or a blackout was stored before calendar knew the item) take it with a new SEQUENCE (feed
 * subscribers see their times in it), each that belongs in Google is written there again (the
 * event's start and end in the new zone), and when the zone itself changed a linked calendar is
 * read whole again, since an all-day outside event is whole local days of the item and moves with
 * its zone. Runs in the item event's inbox transaction.
 */
import type { Tx } from '@midas/db';
import { mirrorsOutsideEvent } from '../domain/entry';
import { markSyncPending, moveItemEntriesToZone } from '../db/entries';
import { readLink, saveSyncToken } from '../db/links';
import { newBatchId } from '../jobs/sync-queue';
import type { FlowContext } from './context';

export async function changeItemZone(
  ctx: FlowContext,
  tx: Tx,
  itemId: string,
  zone: string,
  opts: { zoneChanged: boolean },
): Promise<{ moved: number; rewritten: number }> {
  const moved = await moveItemEntriesToZone(tx, itemId, zone);
  if (!moved.length && !opts.zoneChanged) return { moved: 0, rewritten: 0 };
  const link = ctx.google ? await readLink(tx, itemId) : undefined;
  if (!link) return { moved: moved.length, rewritten: 0 };
  const writes = moved.filter((e) => !mirrorsOutsideEvent(e));
  for (const e of writes) await markSyncPending(tx, e.kind, e.ref, link.calendarId);
  await ctx.queue.enqueueWrites(
    writes.map((e) => ({ entryKind: e.kind, ref: e.ref, sequence: e.sequence })),
    newBatchId(),
  );
  if (opts.zoneChanged) {
    // Without its token the next read lists every event, and each is judged again in the new zone.
    await saveSyncToken(tx, itemId, link.calendarId, null);
    await ctx.queue.enqueuePolls([itemId], `zone${newBatchId()}`);
  }
  ctx.logger.info(
    { itemId, zone, moved: moved.length, rewritten: writes.length },
    'item time zone changed; entries moved to it and its calendar read again',
  );
  return { moved: moved.length, rewritten: writes.length };
}
