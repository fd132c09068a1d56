/** Sync status for admins: on or off (and why), entries by sync state, a page of entries, and feed health. */
import type { CalendarSyncState } from '@midas/contracts';
import { countBySyncState, listEntryPage, type EntryRow } from '../db/entries';
import { listFeedHealth, type FeedRow } from '../db/ical-feeds';
import { countLinks } from '../db/links';
import type { FlowContext } from './context';

export interface StatusView {
  sync: { enabled: boolean; reason: string | null };
  counts: Record<CalendarSyncState, number>;
  links: number;
  items: EntryRow[];
  nextSeq: number | null;
  feeds: { total: number; failing: number; items: FeedRow[] };
}

const FEEDS_SHOWN = 200;

export async function readStatus(
  ctx: FlowContext,
  q: { state?: CalendarSyncState; itemId?: string; afterSeq?: number; limit: number },
): Promise<StatusView> {
  const [counts, links, page, feeds] = await Promise.all([
    countBySyncState(ctx.db),
    countLinks(ctx.db),
    listEntryPage(ctx.db, q),
    listFeedHealth(ctx.db, { itemId: q.itemId, limit: FEEDS_SHOWN }),
  ]);
  return { sync: ctx.sync, counts, links, items: page.items, nextSeq: page.nextSeq, feeds };
}
