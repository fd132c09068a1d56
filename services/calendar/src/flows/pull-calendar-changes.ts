/**
 * The `pull` job: reads what changed in an item's Google calendar since the last read (its
 * syncToken; all of it when there is none or Google forgot it) and judges each outside event:
 * one overlapping a confirmed booking publishes `calendar.conflict`, one on a free period
 * `calendar.blackout_requested`. Each event is reported once per change of its period.
 */
import { calendarEvents } from '@midas/contracts';
import { enqueueEvent } from '@midas/messaging';
import { decideExternalEvent } from '../domain/external-event';
import { isOurGoogleEventId } from '../domain/event-ids';
import { fromGoogleTime } from '../domain/local-time';
import { listItemEntries } from '../db/entries';
import { readItem } from '../db/items';
import { readLink, recordExternalEvent, saveSyncToken } from '../db/links';
import { SyncTokenExpired, type GoogleEvent } from '../google/google-calendar';
import type { CalendarContext } from './context';

export interface PullOutcome {
  read: number;
  conflicts: number;
  blackoutRequests: number;
}

export async function pullCalendarChanges(ctx: CalendarContext, itemId: string): Promise<PullOutcome> {
  const outcome: PullOutcome = { read: 0, conflicts: 0, blackoutRequests: 0 };
  const google = ctx.google;
  const link = await readLink(ctx.db, itemId);
  if (!google || !link) return outcome;
  let changes: { events: GoogleEvent[]; nextSyncToken: string | null };
  try {
    changes = await google.listChanges(link.calendarId, link.syncToken);
  } catch (err) {
    if (!(err instanceof SyncTokenExpired)) throw err;
    ctx.logger.info({ itemId }, 'sync token expired; reading the whole calendar');
    changes = await google.listChanges(link.calendarId, null);
  }
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const item = await readItem(tx, itemId);
    const zone = item?.timezone ?? 'UTC';
    const entries = await listItemEntries(tx, itemId);
    for (const event of changes.events) {
      if (!event.id || isOurGoogleEventId(event.id)) continue;
      outcome.read += 1;
      const start = fromGoogleTime(event.start, zone);
      const end = fromGoogleTime(event.end, zone);
      const decision =
        start && end
          ? decideExternalEvent({ start, end, cancelled: event.status === 'cancelled' }, entries, now)
          : ({ kind: 'ignore', reason: 'empty' } as const);
      const fresh = await recordExternalEvent(tx, {
        itemId,
        googleEventId: event.id,
        start: start ?? null,
        end: end ?? null,
        decision: decision.kind,
      });
      if (!fresh || decision.kind === 'ignore' || !start || !end) continue;
      const base = {
        itemId,
        calendarId: link.calendarId,
        googleEventId: event.id,
        start: start.toISOString(),
        end: end.toISOString(),
        summary: (event.summary ?? '').slice(0, 500),
      };
      if (decision.kind === 'conflict') {
        const data = calendarEvents['calendar.conflict'].parse({ ...base, bookingIds: decision.bookingIds });
        await enqueueEvent(tx, 'calendar', { type: 'calendar.conflict', data });
        outcome.conflicts += 1;
      } else {
        const data = calendarEvents['calendar.blackout_requested'].parse(base);
        await enqueueEvent(tx, 'calendar', { type: 'calendar.blackout_requested', data });
        outcome.blackoutRequests += 1;
      }
    }
    await saveSyncToken(tx, itemId, link.calendarId, changes.nextSyncToken);
  });
  ctx.logger.info({ itemId, ...outcome }, 'calendar changes read');
  return outcome;
}
