/**
 * What an event someone else put in an item's Google calendar means for Midas: a conflict with a
 * confirmed booking, a request to block a free period, or nothing.
 */
import { blocksExternalEvents, type CalendarEntry } from './entry';

export interface Period {
  start: Date;
  end: Date;
}

export type ExternalDecision =
  | { kind: 'conflict'; bookingIds: string[] }
  | { kind: 'blackout_requested' }
  | { kind: 'ignore'; reason: 'cancelled' | 'past' | 'empty' | 'already_blocked' };

export function overlaps(a: Period, b: Period): boolean {
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}

function covers(outer: Period, inner: Period): boolean {
  return outer.start.getTime() <= inner.start.getTime() && inner.end.getTime() <= outer.end.getTime();
}

export function decideExternalEvent(
  event: Period & { cancelled: boolean },
  entries: Pick<CalendarEntry, 'kind' | 'ref' | 'status' | 'start' | 'end'>[],
  now: Date,
): ExternalDecision {
  if (event.cancelled) return { kind: 'ignore', reason: 'cancelled' };
  if (event.end.getTime() <= event.start.getTime()) return { kind: 'ignore', reason: 'empty' };
  if (event.end.getTime() <= now.getTime()) return { kind: 'ignore', reason: 'past' };
  const bookingIds = entries
    .filter((e) => blocksExternalEvents(e) && overlaps(e, event))
    .map((e) => e.ref)
    .sort();
  if (bookingIds.length) return { kind: 'conflict', bookingIds };
  const blocked = entries.some((e) => e.kind === 'blackout' && e.status === 'active' && covers(e, event));
  if (blocked) return { kind: 'ignore', reason: 'already_blocked' };
  return { kind: 'blackout_requested' };
}
