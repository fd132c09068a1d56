/**
 * Applies a booking or blackout as an event reported it to calendar's own copy, inside the
 * event's inbox transaction: an older event arriving late changes nothing, the SEQUENCE grows
 * only with a visible change, and each such change of a linked item queues one Google write.
 */
import type { Tx } from '@midas/db';
import { mirrorsOutsideEvent, nextSequence, type CalendarEntry } from '../domain/entry';
import { markSyncPending, readEntry, saveEntry } from '../db/entries';
import { readLink } from '../db/links';
import type { FlowContext } from './context';

export async function projectEntry(
  ctx: FlowContext,
  tx: Tx,
  next: Omit<CalendarEntry, 'sequence'>,
  eventAt: Date,
): Promise<'applied' | 'stale'> {
  const previous = await readEntry(tx, next.kind, next.ref, true);
  if (previous && previous.eventAt.getTime() > eventAt.getTime()) return 'stale';
  const sequence = nextSequence(previous, next);
  await saveEntry(tx, { ...next, sequence }, eventAt);
  // A blackout standing for an outside event has its event in Google already.
  if ((!previous || previous.sequence !== sequence) && !mirrorsOutsideEvent(next)) {
    await queueWrite(ctx, tx, { ...next, sequence });
  }
  return 'applied';
}

/** Queues the Google write of an entry when sync is on and its item is linked. */
export async function queueWrite(
  ctx: FlowContext,
  tx: Tx,
  entry: Pick<CalendarEntry, 'kind' | 'ref' | 'itemId' | 'sequence'>,
): Promise<boolean> {
  if (!ctx.google) return false;
  const link = await readLink(tx, entry.itemId);
  if (!link) return false;
  await markSyncPending(tx, entry.kind, entry.ref, link.calendarId);
  await ctx.queue.enqueueWrites([{ entryKind: entry.kind, ref: entry.ref, sequence: entry.sequence }]);
  return true;
}
