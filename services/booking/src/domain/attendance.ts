/**
 * When a guest may be checked in, when an absence becomes a no-show, and when a booking in
 * progress completes on its own.
 */
import type { BookingStatus } from '@midas/contracts';

/**
 * Check-in opens this long before the start: early enough for a handover, late enough that a
 * check-in cannot be recorded against the wrong day's booking.
 */
export const CHECK_IN_OPENS_MINUTES_BEFORE = 60;

export type CheckInVerdict =
  { ok: true } | { ok: false; reason: 'too_early'; opensAt: Date } | { ok: false; reason: 'ended' };

export function checkInOpensAt(start: Date): Date {
  return new Date(start.getTime() - CHECK_IN_OPENS_MINUTES_BEFORE * 60_000);
}

export function judgeCheckIn(input: { start: Date; end: Date; now: Date }): CheckInVerdict {
  const opensAt = checkInOpensAt(input.start);
  if (input.now.getTime() < opensAt.getTime()) return { ok: false, reason: 'too_early', opensAt };
  if (input.now.getTime() >= input.end.getTime()) return { ok: false, reason: 'ended' };
  return { ok: true };
}

/** Statuses that become `no_show` when nobody checked in by the start plus the grace period. */
export const AWAITING_CHECK_IN: readonly BookingStatus[] = ['concierge_assigned', 'ready'];

export function noShowAt(start: Date, graceMinutes: number): Date {
  return new Date(start.getTime() + graceMinutes * 60_000);
}

export type MomentVerdict = { kind: 'act' } | { kind: 'wait'; until: Date } | { kind: 'skip' };

/** The no-show check: acts only on a booking still awaiting its guest once start + grace has passed. */
export function judgeNoShow(input: {
  status: BookingStatus;
  start: Date;
  graceMinutes: number;
  now: Date;
}): MomentVerdict {
  if (!AWAITING_CHECK_IN.includes(input.status)) return { kind: 'skip' };
  const at = noShowAt(input.start, input.graceMinutes);
  return input.now.getTime() < at.getTime() ? { kind: 'wait', until: at } : { kind: 'act' };
}

/** Automatic completion: acts only on a booking in progress once its end has passed. */
export function judgeCompletion(input: { status: BookingStatus; end: Date; now: Date }): MomentVerdict {
  if (input.status !== 'in_progress') return { kind: 'skip' };
  return input.now.getTime() < input.end.getTime() ? { kind: 'wait', until: input.end } : { kind: 'act' };
}
