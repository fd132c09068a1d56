/**
 * One reminder of one booking: re-read the booking, decide whether this reminder is owed now,
 * and if so record it and its booking.reminder_due event in one transaction, so it goes out
 * exactly once whoever (its delayed job or a repair sweep) gets there first.
 */
import { enqueueEvent } from '@midas/messaging';
import { readForReminder, recordReminder } from '../db/reminders';
import { judgeReminder, type ReminderOffset } from '../domain/reminder-schedule';
import { summaryOf } from '../events/booking-summary';
import type { FlowDeps } from './deps';

export type ReminderOutcome =
  | { kind: 'sent'; dueAt: Date; sentAt: Date }
  | { kind: 'already_sent' }
  /** The booking now starts later: the reminder's moment is `until`. */
  | { kind: 'wait'; until: Date }
  | { kind: 'skipped'; reason: 'not_found' | 'not_remindable' | 'before_dates_fixed' | 'too_late' };

export async function sendReminder(
  deps: Pick<FlowDeps, 'db' | 'now'>,
  offsets: readonly ReminderOffset[],
  bookingId: string,
  offset: ReminderOffset,
): Promise<ReminderOutcome> {
  return deps.db.transaction(async (tx) => {
    const found = await readForReminder(tx, bookingId);
    if (!found) return { kind: 'skipped', reason: 'not_found' };
    const { booking, datesFixedAt } = found;
    const now = deps.now();
    const verdict = judgeReminder({
      status: booking.status,
      start: booking.startAt,
      datesFixedAt,
      offset,
      offsets,
      now,
    });
    if (verdict.kind === 'wait') return verdict;
    if (verdict.kind === 'skip') return { kind: 'skipped', reason: verdict.reason };
    const recorded = await recordReminder(tx, {
      bookingId,
      offsetSeconds: offset.seconds,
      dueAt: verdict.dueAt,
      label: offset.label,
    });
    if (!recorded) return { kind: 'already_sent' };
    await enqueueEvent(tx, 'booking', {
      type: 'booking.reminder_due',
      data: { ...summaryOf(booking), offset: offset.label, dueAt: verdict.dueAt.toISOString() },
    });
    return { kind: 'sent', dueAt: verdict.dueAt, sentAt: now };
  });
}
