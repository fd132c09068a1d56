/**
 * Unlinks an item from its Google calendar: Midas's own events of the item are removed from it
 * first (a failure leaves the link in place, so the unlink can be tried again), then the link goes,
 * the item's entries are no longer synced, outside events seen there stop blocking the item
 * (`calendar.blackout_withdrawn`), and its push channel is stopped.
 */
import { calendarEvents, NotFound, Unavailable } from '@midas/contracts';
import { enqueueEvent } from '@midas/messaging';
import { mirrorsOutsideEvent } from '../domain/entry';
import { googleEventId } from '../domain/event-ids';
import { clearItemSync, listItemEntries } from '../db/entries';
import { deleteLink, readLink, stopChannels } from '../db/links';
import { listBlockingReports, saveReported } from '../db/outside-events';
import { googleErrorText } from '../google/google-calendar';
import type { FlowContext } from './context';

export interface Unlinked {
  eventsRemoved: number;
  channelsStopped: number;
  withdrawn: number;
}

export async function removeLink(ctx: FlowContext, itemId: string): Promise<Unlinked> {
  const link = await readLink(ctx.db, itemId);
  if (!link) throw new NotFound('Calendar link');
  let eventsRemoved = 0;
  if (ctx.google) {
    const ours = (await listItemEntries(ctx.db, itemId)).filter(
      (e) => e.calendarId === link.calendarId && !mirrorsOutsideEvent(e),
    );
    for (const e of ours) {
      try {
        await ctx.google.deleteEvent(link.calendarId, e.googleEventId ?? googleEventId(e.kind, e.ref));
      } catch (err) {
        throw new Unavailable(
          'google_unavailable',
          `Could not remove Midas's events: ${googleErrorText(err)}`,
        );
      }
      eventsRemoved += 1;
    }
  }
  const { stopped, withdrawn } = await ctx.db.transaction(async (tx) => {
    if (!(await deleteLink(tx, itemId))) throw new NotFound('Calendar link');
    await clearItemSync(tx, itemId);
    const reports = await listBlockingReports(tx, itemId);
    for (const r of reports) {
      const revision = r.revision + 1;
      const calendarId = r.calendarId ?? link.calendarId;
      await saveReported(
        tx,
        { itemId, googleEventId: r.googleEventId, calendarId, decision: 'unlinked' },
        { period: null, revision },
      );
      const data = calendarEvents['calendar.blackout_withdrawn'].parse({
        itemId,
        calendarId,
        googleEventId: r.googleEventId,
        revision,
      });
      await enqueueEvent(tx, 'calendar', { type: 'calendar.blackout_withdrawn', data });
    }
    return { stopped: await stopChannels(tx, itemId), withdrawn: reports.length };
  });
  for (const c of stopped) {
    if (!ctx.google || !c.resourceId) continue;
    await ctx.google
      .stopChannel(c.id, c.resourceId)
      .catch((err: unknown) =>
        ctx.logger.warn({ channelId: c.id, err: googleErrorText(err) }, 'could not stop the channel'),
      );
  }
  ctx.logger.info({ itemId, calendarId: link.calendarId, eventsRemoved, withdrawn }, 'calendar unlinked');
  return { eventsRemoved, channelsStopped: stopped.length, withdrawn };
}
