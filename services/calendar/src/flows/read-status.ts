/** Sync status for admins: on or off (and why), entries by sync state, and a page of entries. */
import type { CalendarSyncState } from '@midas/contracts';
import { countBySyncState, listEntryPage, type EntryRow } from '../db/entries';
import { countLinks } from '../db/links';
import type { CalendarContext } from './context';

export interface StatusView {
  sync: { enabled: boolean; reason: string | null };
  counts: Record<CalendarSyncState, number>;
  links: number;
  items: EntryRow[];
  nextSeq: number | null;
}

export async function readStatus(
  ctx: CalendarContext,
  q: { state?: CalendarSyncState; itemId?: string; afterSeq?: number; limit: number },
): Promise<StatusView> {
  const [counts, links, page] = await Promise.all([
    countBySyncState(ctx.db),
    countLinks(ctx.db),
    listEntryPage(ctx.db, q),
  ]);
  return { sync: ctx.sync, counts, links, items: page.items, nextSeq: page.nextSeq };
}
