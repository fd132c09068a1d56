/**
 * Reminders of bookings: re-read each booking, decide whether its reminder is owed now, and
 * record the owed ones with their booking.reminder_due events in one transaction, so each goes
 * out exactly once whoever (its delayed job or a repair sweep) gets there first. Many reminders
 * fall due at the same moment, so they are decided and recorded together, one commit for all.
 */
import { enqueueEvents } from '@midas/messaging';
import { readForReminders, recordReminders, type SentReminder } from '../db/reminders';
import { judgeReminder, type ReminderOffset } from '../domain/reminder-schedule';
import { summaryOf } from '../events/publish/booking-summary';
import type { FlowContext } from './context';

export interface ReminderRequest {
  bookingId: string;
  offset: ReminderOffset;
  /** Given by the reminder's own job: the moment it was scheduled for. */
  scheduledDueAt?: Date;
}

export type ReminderOutcome =
  | { kind: 'sent'; dueAt: Date; sentAt: Date }
  | { kind: 'already_sent' }
  /** The booking now starts later: the reminder's moment is `until`. */
  | { kind: 'wait'; until: Date }
  | { kind: 'skipped'; reason: 'not_found' | 'not_remindable' | 'before_dates_fixed' | 'too_late' };

/** Outcomes in the order of `requests`. */
export async function sendReminders(
  deps: Pick<FlowContext, 'db' | 'now'>,
  offsets: readonly ReminderOffset[],
  requests: readonly ReminderRequest[],
): Promise<ReminderOutcome[]> {
  return deps.db.transaction(async (tx) => {
    const found = await readForReminders(
      tx,
      requests.map((r) => r.bookingId),
      { datesFixed: requests.some((r) => !r.scheduledDueAt) },
    );
    const now = deps.now();
    const outcomes: ReminderOutcome[] = [];
    const owed: { index: number; reminder: SentReminder }[] = [];
    for (const [index, { bookingId, offset, scheduledDueAt }] of requests.entries()) {
      const read = found.get(bookingId);
      if (!read) {
        outcomes.push({ kind: 'skipped', reason: 'not_found' });
        continue;
      }
      const verdict = judgeReminder({
        status: read.booking.status,
        start: read.booking.startAt,
        datesFixedAt: read.datesFixedAt,
        scheduledDueAt,
        offset,
        offsets,
        now,
      });
      if (verdict.kind === 'send') {
        outcomes.push({ kind: 'already_sent' });
        owed.push({
          index,
          reminder: { bookingId, offsetSeconds: offset.seconds, dueAt: verdict.dueAt, label: offset.label },
        });
      } else {
        outcomes.push(verdict.kind === 'wait' ? verdict : { kind: 'skipped', reason: verdict.reason });
      }
    }
    const key = (r: Omit<SentReminder, 'label'>) => `${r.bookingId}/${r.offsetSeconds}/${r.dueAt.getTime()}`;
    const recorded = new Set(
      (
        await recordReminders(
          tx,
          owed.map((o) => o.reminder),
        )
      ).map(key),
    );
    const announced = owed.filter(({ reminder }) => recorded.delete(key(reminder)));
    await enqueueEvents(
      tx,
      'booking',
      announced.map(({ reminder }) => ({
        type: 'booking.reminder_due' as const,
        data: {
          ...summaryOf(found.get(reminder.bookingId)!.booking),
          offset: reminder.label,
          dueAt: reminder.dueAt.toISOString(),
        },
      })),
    );
    // The same reminder asked twice in one batch is recorded and announced once.
    for (const { index, reminder } of announced)
      outcomes[index] = { kind: 'sent', dueAt: reminder.dueAt, sentAt: now };
    return outcomes;
  });
}

export async function sendReminder(
  deps: Pick<FlowContext, 'db' | 'now'>,
  offsets: readonly ReminderOffset[],
  bookingId: string,
  offset: ReminderOffset,
): Promise<ReminderOutcome> {
  const [outcome] = await sendReminders(deps, offsets, [{ bookingId, offset }]);
  return outcome!;
}
