/**
 * Links an item to a Google calendar: its bookings and blackouts are queued for writing there and,
 * when sync is on and a notification address is configured, the calendar is watched for changes.
 */
import { listItemEntries, markSyncPending } from '../db/entries';
import { readActiveChannel, saveLink } from '../db/links';
import { newBatchId } from '../jobs/sync-queue';
import type { CalendarContext } from './context';
import { knownItem } from './known-item';
import { openChannel } from './open-channel';

export interface LinkView {
  itemId: string;
  calendarId: string;
  watch: { channelId: string; expiresAt: Date | null } | null;
  queued: number;
}

export async function setLink(ctx: CalendarContext, itemId: string, calendarId: string): Promise<LinkView> {
  await knownItem(ctx, itemId);
  const queued = await ctx.db.transaction(async (tx) => {
    await saveLink(tx, itemId, calendarId);
    if (!ctx.google) return 0;
    const entries = await listItemEntries(tx, itemId);
    for (const e of entries) await markSyncPending(tx, e.kind, e.ref, calendarId);
    await ctx.queue.enqueueWrites(
      entries.map((e) => ({ entryKind: e.kind, ref: e.ref, sequence: e.sequence })),
      newBatchId(),
    );
    return entries.length;
  });
  let channel = await readActiveChannel(ctx.db, itemId);
  if (!channel || channel.calendarId !== calendarId) {
    channel = (await openChannel(ctx, itemId, calendarId)) ?? undefined;
  }
  return {
    itemId,
    calendarId,
    watch: channel ? { channelId: channel.id, expiresAt: channel.expiresAt } : null,
    queued,
  };
}
