/**
 * Rules for changing a booking's dates: when it may change, and where its end lands when only
 * the start moves (the same local-calendar length in the item's time zone, so a three-night stay
 * moved across a DST change still ends at the same wall-clock time).
 */
import { DateTime } from 'luxon';
import type { BookingStatus } from '@midas/contracts';
import { MODIFIABLE_STATUSES } from './lifecycle';

export type ModificationVerdict =
  | { ok: true }
  | { ok: false; reason: 'not_modifiable' | 'already_started' }
  | { ok: false; reason: 'end_not_after_start' };

export function judgeModification(input: {
  status: BookingStatus;
  currentStart: Date;
  now: Date;
  newStart: Date;
  newEnd: Date;
}): ModificationVerdict {
  if (!MODIFIABLE_STATUSES.includes(input.status)) return { ok: false, reason: 'not_modifiable' };
  if (input.currentStart.getTime() <= input.now.getTime()) return { ok: false, reason: 'already_started' };
  if (input.newEnd.getTime() <= input.newStart.getTime()) return { ok: false, reason: 'end_not_after_start' };
  return { ok: true };
}

/** The end of a booking whose start moves from `oldStart` to `newStart`, keeping its calendar length in `timezone`. */
export function shiftedEnd(oldStart: Date, oldEnd: Date, newStart: Date, timezone: string): Date {
  const from = DateTime.fromJSDate(oldStart, { zone: timezone });
  const to = DateTime.fromJSDate(oldEnd, { zone: timezone });
  const length = to.diff(from, ['days', 'hours', 'minutes', 'seconds', 'milliseconds']);
  return DateTime.fromJSDate(newStart, { zone: timezone }).plus(length).toJSDate();
}

export interface Period {
  start: Date;
  end: Date;
}

/**
 * Where the slot of a change waiting for its payment is held while the booking keeps its own:
 * - `none`: the dates do not change;
 * - `hold`: a separate hold on the new dates, which do not touch the booking's blocked time;
 * - `span`: the new dates overlap the booking's blocked time (its period plus the item's buffer),
 *   where a second hold would collide with the booking itself, so the booking's slot is stretched
 *   over both periods (their union, which has no gap) until the change applies or lapses.
 */
export type PendingSlot = { kind: 'none' } | { kind: 'hold' } | { kind: 'span'; start: Date; end: Date };

export function pendingSlotFor(current: Period, next: Period, bufferMinutes: number): PendingSlot {
  if (current.start.getTime() === next.start.getTime() && current.end.getTime() === next.end.getTime())
    return { kind: 'none' };
  const buffer = Math.max(0, bufferMinutes) * 60_000;
  const touches =
    next.start.getTime() < current.end.getTime() + buffer &&
    current.start.getTime() < next.end.getTime() + buffer;
  if (!touches) return { kind: 'hold' };
  return {
    kind: 'span',
    start: new Date(Math.min(current.start.getTime(), next.start.getTime())),
    end: new Date(Math.max(current.end.getTime(), next.end.getTime())),
  };
}

/** When a change waiting for its payment lapses: at most `ttlSeconds` after it was asked for. */
export function pendingChangeExpiry(now: Date, ttlSeconds: number): Date {
  return new Date(now.getTime() + Math.max(1, ttlSeconds) * 1000);
}
