/**
 * When a booking's reminders are owed (REMINDER_OFFSETS before its start). An offset is an exact
 * duration: `24h` is 86,400 seconds before the start even across a DST change, because the guest
 * is reminded of how much time is left, not of a wall-clock hour. A reminder whose moment passed
 * before the booking's dates were fixed (confirmation, or the last change of dates) is skipped,
 * never sent late. One whose moment came while nothing could send it (Redis away) is still owed
 * for a while, until the next reminder's moment (or the start), so a repair never sends two
 * reminders at once nor one that no longer makes sense.
 */
import type { BookingStatus } from '@midas/contracts';

export interface ReminderOffset {
  /** As configured, e.g. `1h`; it names the reminder in its job id and its event. */
  label: string;
  seconds: number;
}

export interface ReminderMoment {
  offset: ReminderOffset;
  dueAt: Date;
}

/** Bookings paid for and not yet begun get reminders. */
export const REMINDABLE_STATUSES: readonly BookingStatus[] = ['confirmed', 'concierge_assigned', 'ready'];

export function isRemindable(status: BookingStatus): boolean {
  return REMINDABLE_STATUSES.includes(status);
}

/** The offsets largest first, positive, one per duration (two labels for the same duration would remind twice). */
export function normalizeOffsets(offsets: readonly ReminderOffset[]): ReminderOffset[] {
  const seen = new Set<number>();
  return [...offsets]
    .filter((o) => o.seconds > 0)
    .sort((a, b) => b.seconds - a.seconds)
    .filter((o) => (seen.has(o.seconds) ? false : (seen.add(o.seconds), true)));
}

export function reminderMoment(start: Date, offset: ReminderOffset): Date {
  return new Date(start.getTime() - offset.seconds * 1000);
}

/** Every reminder moment of a booking starting at `start`, earliest first. */
export function reminderMoments(start: Date, offsets: readonly ReminderOffset[]): ReminderMoment[] {
  return normalizeOffsets(offsets).map((offset) => ({ offset, dueAt: reminderMoment(start, offset) }));
}

/** The reminders to schedule when a booking's dates are fixed at `now`: those whose moment is still ahead. */
export function upcomingReminders(
  start: Date,
  offsets: readonly ReminderOffset[],
  now: Date,
): ReminderMoment[] {
  return reminderMoments(start, offsets).filter((m) => m.dueAt.getTime() > now.getTime());
}

/** How long after its moment a reminder may still go out: until the next smaller offset's moment, the last until the start. */
export function reminderToleranceMs(offsets: readonly ReminderOffset[], offset: ReminderOffset): number {
  const sorted = normalizeOffsets(offsets);
  const next = sorted.find((o) => o.seconds < offset.seconds);
  return (offset.seconds - (next?.seconds ?? 0)) * 1000;
}

export interface ReminderFacts {
  status: BookingStatus;
  start: Date;
  /** When the booking's current dates were fixed: its confirmation or its last change of dates. */
  datesFixedAt: Date | null;
  /**
   * For a reminder's own job: the moment it was scheduled for. Jobs are only scheduled for moments
   * still ahead when the dates were fixed, so a moment that still matches is owed, and one that
   * no longer does belongs to dates since changed (the job for the new moment is its own).
   */
  scheduledDueAt?: Date;
  offset: ReminderOffset;
  offsets: readonly ReminderOffset[];
  now: Date;
}

export type ReminderVerdict =
  | { kind: 'send'; dueAt: Date }
  /** The moment is ahead (the booking moved later): come back then. */
  | { kind: 'wait'; until: Date }
  | { kind: 'skip'; reason: 'not_remindable' | 'before_dates_fixed' | 'too_late' };

export function judgeReminder(facts: ReminderFacts): ReminderVerdict {
  if (!isRemindable(facts.status)) return { kind: 'skip', reason: 'not_remindable' };
  const dueAt = reminderMoment(facts.start, facts.offset);
  const now = facts.now.getTime();
  if (dueAt.getTime() > now) return { kind: 'wait', until: dueAt };
  const fixedBefore = facts.scheduledDueAt
    ? facts.scheduledDueAt.getTime() === dueAt.getTime()
    : facts.datesFixedAt !== null && dueAt.getTime() > facts.datesFixedAt.getTime();
  if (!fixedBefore) return { kind: 'skip', reason: 'before_dates_fixed' };
  const tolerance = reminderToleranceMs(facts.offsets, facts.offset);
  if (now >= dueAt.getTime() + tolerance || now >= facts.start.getTime()) {
    return { kind: 'skip', reason: 'too_late' };
  }
  return { kind: 'send', dueAt };
}

/** The reminders a repair sweep should send now for one booking, given those already sent (by offset seconds and moment). */
export function owedReminders(
  facts: Omit<ReminderFacts, 'offset'>,
  sent: readonly { offsetSeconds: number; dueAt: Date }[],
): ReminderMoment[] {
  const isSent = (m: ReminderMoment) =>
    sent.some((s) => s.offsetSeconds === m.offset.seconds && s.dueAt.getTime() === m.dueAt.getTime());
  return reminderMoments(facts.start, facts.offsets).filter(
    (m) => judgeReminder({ ...facts, offset: m.offset }).kind === 'send' && !isSent(m),
  );
}
