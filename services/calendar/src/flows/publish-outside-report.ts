/**
 * Tells availability what an outside event (of a linked Google calendar or of an imported feed)
 * now blocks, through the outbox of the caller's transaction: a blackout requested for its
 * period, or withdrawn once it blocks nothing.
 */
import { calendarEvents } from '@midas/contracts';
import type { Tx } from '@midas/db';
import { enqueueEvent } from '@midas/messaging';
import type { Report } from '../domain/external-event';

export async function publishOutsideReport(
  tx: Tx,
  ref: { itemId: string; calendarId: string; googleEventId: string },
  report: Report,
  summary: string,
): Promise<Report['kind']> {
  const about = { ...ref, revision: report.revision };
  if (report.kind === 'requested') {
    const data = calendarEvents['calendar.blackout_requested'].parse({
      ...about,
      start: report.period.start.toISOString(),
      end: report.period.end.toISOString(),
      summary: summary.slice(0, 500),
    });
    await enqueueEvent(tx, 'calendar', { type: 'calendar.blackout_requested', data });
  } else {
    const data = calendarEvents['calendar.blackout_withdrawn'].parse(about);
    await enqueueEvent(tx, 'calendar', { type: 'calendar.blackout_withdrawn', data });
  }
  return report.kind;
}
