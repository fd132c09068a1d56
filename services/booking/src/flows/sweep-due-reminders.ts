/**
 * The repair for reminders whose delayed job never ran (Redis away or emptied): every paid-for
 * booking whose reminder moment has passed, within its tolerance, and not yet sent, is sent now.
 * Sending goes through sendReminder, so a job running at the same moment cannot double it.
 */
import { reminderCandidates } from '../db/reminders';
import { normalizeOffsets, owedReminders, type ReminderOffset } from '../domain/reminder-schedule';
import type { FlowContext } from './context';
import { sendReminders, type ReminderOutcome } from './send-reminder';

const PAGE = 500;
/** Reminders decided and recorded in one transaction. */
const BATCH = 200;

export async function sweepDueReminders(
  deps: Pick<FlowContext, 'db' | 'now'>,
  offsets: readonly ReminderOffset[],
): Promise<ReminderOutcome[]> {
  const sorted = normalizeOffsets(offsets);
  if (sorted.length === 0) return [];
  const horizonSeconds = sorted[0]!.seconds;
  const outcomes: ReminderOutcome[] = [];
  let after: { startAt: Date; id: string } | undefined;
  for (;;) {
    const now = deps.now();
    const page = await reminderCandidates(deps.db, { now, horizonSeconds, limit: PAGE, after });
    const owed = page.flatMap((b) =>
      owedReminders(
        { status: b.status, start: b.startAt, datesFixedAt: b.datesFixedAt, offsets: sorted, now },
        b.sent,
      ).map((m) => ({ bookingId: b.id, offset: m.offset })),
    );
    for (let i = 0; i < owed.length; i += BATCH) {
      outcomes.push(...(await sendReminders(deps, sorted, owed.slice(i, i + BATCH))));
    }
    if (page.length < PAGE) break;
    const last = page[page.length - 1]!;
    after = { startAt: last.startAt, id: last.id };
  }
  return outcomes;
}
