/**
 * The `write` job: brings the Google event of one booking or blackout in line with calendar's copy
 * (inserted or patched while it belongs there, deleted once it does not), and records Google's id
 * and etag. A job for an older SEQUENCE than the entry's is left to the newer job.
 */
import { NotCommittedYet } from '@midas/jobs';
import { belongsInGoogle } from '../domain/entry';
import { googleEventId } from '../domain/event-ids';
import { googleEventBody } from '../domain/google-event';
import { markSyncAttempt, markSynced, readEntry } from '../db/entries';
import { readLink } from '../db/links';
import { googleErrorText } from '../google/google-calendar';
import type { WriteJob } from '../jobs/sync-queue';
import type { FlowContext } from './context';

/** The job ran before the transaction that queued it committed. */
export class NotRecordedYet extends NotCommittedYet {}

export type WriteOutcome = 'written' | 'deleted' | 'superseded' | 'unlinked' | 'sync_off' | 'gone';

export async function writeEntry(
  ctx: FlowContext,
  job: WriteJob,
  attempt: { last: boolean },
): Promise<WriteOutcome> {
  const entry = await readEntry(ctx.db, job.entryKind, job.ref);
  if (!entry) throw new NotRecordedYet(`${job.entryKind} ${job.ref} not recorded yet`);
  if (entry.sequence < job.sequence)
    throw new NotRecordedYet(`${job.entryKind} ${job.ref} change not committed yet`);
  if (entry.sequence > job.sequence) return 'superseded';
  const google = ctx.google;
  if (!google) return 'sync_off';
  const link = await readLink(ctx.db, entry.itemId);
  if (!link) return 'unlinked';
  const eventId = googleEventId(entry.kind, entry.ref);
  try {
    // Moved to another calendar: the event leaves the old one first.
    if (entry.googleEventId && entry.calendarId && entry.calendarId !== link.calendarId) {
      await google.deleteEvent(entry.calendarId, entry.googleEventId);
    }
    if (belongsInGoogle(entry)) {
      const written = !!entry.googleEventId && entry.calendarId === link.calendarId;
      const res = await google.writeEvent(link.calendarId, googleEventBody(entry), written);
      await markSynced(ctx.db, entry.kind, entry.ref, {
        sequence: entry.sequence,
        calendarId: link.calendarId,
        googleEventId: res.id,
        etag: res.etag,
      });
      ctx.metrics?.writes.inc({ outcome: 'written' });
      return 'written';
    }
    // Nothing ever written (an unpaid booking that lapsed, whose earlier job found nothing to write)
    // and no failed attempt that might have landed: there is nothing in Google to remove.
    if (entry.syncError !== null || entry.googleEventId) await google.deleteEvent(link.calendarId, eventId);
    await markSynced(ctx.db, entry.kind, entry.ref, {
      sequence: entry.sequence,
      calendarId: link.calendarId,
      googleEventId: null,
      etag: null,
    });
    ctx.metrics?.writes.inc({ outcome: 'deleted' });
    return 'deleted';
  } catch (err) {
    const text = googleErrorText(err);
    await markSyncAttempt(ctx.db, entry.kind, entry.ref, text, attempt.last);
    ctx.metrics?.writes.inc({ outcome: attempt.last ? 'failed' : 'retried' });
    if (attempt.last)
      ctx.logger.warn({ kind: entry.kind, ref: entry.ref, err: text }, 'calendar write failed for good');
    throw err;
  }
}
