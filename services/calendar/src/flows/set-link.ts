/**
 * Links an item to a Google calendar (without one: its type's shared calendar, made on first use):
 * its bookings and blackouts are queued for writing there and, when sync is on and a notification
 * address is configured, the calendar is watched for changes.
 */
import { listItemEntries, markSyncPending } from '../db/entries';
import { readActiveChannel, saveLink } from '../db/links';
import { newBatchId } from '../jobs/sync-queue';
import type { FlowContext } from './context';
import { knownItem } from './known-item';
import { openChannel } from './open-channel';
import { typeCalendar } from './type-calendar';

export interface LinkView {
  itemId: string;
  calendarId: string;
  shared: boolean;
  watch: { channelId: string; expiresAt: Date | null } | null;
  queued: number;
}

export async function setLink(
  ctx: FlowContext,
  itemId: string,
  requested: string | undefined,
): Promise<LinkView> {
  const item = await knownItem(ctx, itemId, { needType: requested === undefined });
  const shared = requested === undefined;
  const calendarId = requested ?? (await typeCalendar(ctx, item.type!, item.timezone));
  const queued = await ctx.db.transaction(async (tx) => {
    await saveLink(tx, itemId, calendarId, shared);
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
    shared,
    watch: channel ? { channelId: channel.id, expiresAt: channel.expiresAt } : null,
    queued,
  };
}
