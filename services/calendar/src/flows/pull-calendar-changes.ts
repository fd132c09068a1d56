/**
 * The `pull` job: reads what changed in an item's Google calendar since the last read (its
 * syncToken; all of it when there is none or Google forgot it) and tells availability what each
 * outside event now blocks: `calendar.blackout_requested` for a new or changed period,
 * `calendar.blackout_withdrawn` once it blocks nothing. Each change is reported once, with a
 * revision that grows per event; whether a booking is in the way is availability's to judge.
 * Midas's own events found changed there are written back (put-back-own-event.ts). Outside events
 * in a type's shared calendar belong to no one item and block nothing.
 */
import { decideOutsideEvent, nextReport, reportedAfter } from '../domain/external-event';
import { isOurGoogleEventId } from '../domain/event-ids';
import { readItem } from '../db/items';
import { readLink, saveSyncToken } from '../db/links';
import { readReported, saveReported } from '../db/outside-events';
import { SyncTokenExpired, type GoogleEvent } from '../google/google-calendar';
import type { FlowContext } from './context';
import { publishOutsideReport } from './publish-outside-report';
import { putBackOwnEvent } from './put-back-own-event';

export interface PullOutcome {
  read: number;
  blackoutRequests: number;
  withdrawals: number;
  /** Midas's own events found changed in Google and queued to be written back. */
  putBack: number;
}

/** Another read of the same calendar committed while this one waited on Google. */
class ReadOvertaken extends Error {}

export async function pullCalendarChanges(ctx: FlowContext, itemId: string): Promise<PullOutcome> {
  // A push and the scheduled read may read the same calendar at once: the one that commits second
  // reads again from where the first stopped, so an older view never replaces a newer one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await pullOnce(ctx, itemId);
    } catch (err) {
      if (!(err instanceof ReadOvertaken) || attempt >= 5) throw err;
    }
  }
}

async function pullOnce(ctx: FlowContext, itemId: string): Promise<PullOutcome> {
  const outcome: PullOutcome = { read: 0, blackoutRequests: 0, withdrawals: 0, putBack: 0 };
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
    const current = await readLink(tx, itemId, { lock: true });
    if (current?.calendarId !== link.calendarId || current.syncToken !== link.syncToken) {
      throw new ReadOvertaken();
    }
    const item = await readItem(tx, itemId);
    const zone = item?.timezone ?? 'UTC';
    for (const event of changes.events) {
      if (!event.id) continue;
      if (isOurGoogleEventId(event.id)) {
        if ((await putBackOwnEvent(ctx, tx, current, event)) === 'put_back') outcome.putBack += 1;
        continue;
      }
      // A type's calendar is shared by all its items: an outside event there names none of them.
      if (current.shared) continue;
      outcome.read += 1;
      const key = { itemId, googleEventId: event.id };
      const decision = decideOutsideEvent(event, zone, now);
      const previous = await readReported(tx, key);
      const report = nextReport(previous, decision);
      await saveReported(
        tx,
        {
          ...key,
          calendarId: link.calendarId,
          decision: decision.kind === 'block' ? 'block' : decision.reason,
        },
        reportedAfter(previous, report),
      );
      if (!report) continue;
      const ref = { itemId, calendarId: link.calendarId, googleEventId: event.id };
      if ((await publishOutsideReport(tx, ref, report, event.summary ?? '')) === 'requested') {
        outcome.blackoutRequests += 1;
      } else {
        outcome.withdrawals += 1;
      }
    }
    await saveSyncToken(tx, itemId, link.calendarId, changes.nextSyncToken);
  });
  ctx.metrics?.outsideReports.inc({ kind: 'requested' }, outcome.blackoutRequests);
  ctx.metrics?.outsideReports.inc({ kind: 'withdrawn' }, outcome.withdrawals);
  ctx.metrics?.putBack.inc(outcome.putBack);
  ctx.logger.info({ itemId, ...outcome }, 'calendar changes read');
  return outcome;
}
