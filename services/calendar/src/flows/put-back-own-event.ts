/**
 * One of Midas's own events found changed in Google (edited, moved or deleted by someone there):
 * its write is queued again so it is put back as Midas has it, and, for a booking, staff are told
 * through `calendar.conflict` (kind `midas_event_changed`), which booking keeps in its history.
 * Changes Midas made itself (the etag it stored) or that a newer write of ours already replaced
 * are left alone, and so is an entry whose own write is still on its way.
 */
import { calendarEvents } from '@midas/contracts';
import type { Tx } from '@midas/db';
import { enqueueEvent } from '@midas/messaging';
import { parseGoogleEventId } from '../domain/event-ids';
import { fromGoogleTime } from '../domain/local-time';
import { judgeOwnEvent, ownEventChangeSummary } from '../domain/own-event';
import { markSyncPending, readEntry } from '../db/entries';
import type { LinkRow } from '../db/links';
import type { GoogleEvent } from '../google/google-calendar';
import { newBatchId } from '../jobs/sync-queue';
import type { FlowContext } from './context';

export type PutBackOutcome = 'in_step' | 'put_back' | 'skipped';

export async function putBackOwnEvent(
  ctx: FlowContext,
  tx: Tx,
  link: LinkRow,
  event: GoogleEvent,
): Promise<PutBackOutcome> {
  const ours = event.id ? parseGoogleEventId(event.id) : undefined;
  if (!ours) return 'skipped';
  const entry = await readEntry(tx, ours.kind, ours.ref, true);
  // In a shared calendar each item's read looks after its own events only.
  if (!entry || entry.itemId !== link.itemId || entry.calendarId !== link.calendarId) return 'skipped';
  if (entry.syncState !== 'synced' || entry.syncedSequence !== entry.sequence) return 'skipped';
  if (event.etag && event.etag === entry.googleEtag) return 'in_step';
  if (event.updated && entry.syncedAt && new Date(event.updated).getTime() <= entry.syncedAt.getTime()) {
    return 'in_step';
  }
  const judgement = judgeOwnEvent(entry, event);
  if (judgement.kind === 'in_step') return 'in_step';

  await markSyncPending(tx, entry.kind, entry.ref, link.calendarId);
  await ctx.queue.enqueueWrites(
    [{ entryKind: entry.kind, ref: entry.ref, sequence: entry.sequence }],
    newBatchId(),
  );
  ctx.logger.warn(
    { kind: entry.kind, ref: entry.ref, change: judgement.change, googleEventId: event.id },
    'Midas event changed in Google; writing it back',
  );
  if (entry.kind === 'booking') {
    const start = fromGoogleTime(event.start, entry.timezone) ?? entry.start;
    const end = fromGoogleTime(event.end, entry.timezone) ?? entry.end;
    const valid = end.getTime() > start.getTime();
    const data = calendarEvents['calendar.conflict'].parse({
      kind: 'midas_event_changed',
      itemId: entry.itemId,
      calendarId: link.calendarId,
      googleEventId: event.id,
      start: (valid ? start : entry.start).toISOString(),
      end: (valid ? end : entry.end).toISOString(),
      summary: ownEventChangeSummary(judgement.change),
      bookingIds: [entry.ref],
      timezone: entry.timezone,
    });
    await enqueueEvent(tx, 'calendar', { type: 'calendar.conflict', data });
  }
  return 'put_back';
}
