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
