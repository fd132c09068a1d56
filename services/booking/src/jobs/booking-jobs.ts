/**
 * The delayed jobs that follow a confirmed booking, with ids derived from what they are about:
 * `reminder.<booking>.<offset>` on `reminders`, `no-show.<booking>` and `complete.<booking>` on
 * `lifecycle`, `deposit.<booking>` on `deposits` (the security deposit's authorisation at
 * start - DEPOSIT_AUTH_LEAD_HOURS; a booking without a deposit finds nothing to do). Scheduling replaces any job of the same id, so a change of dates moves them and a
 * repeat is harmless; cancelling removes them. Redis being away never fails the request that
 * scheduled: the sweeps repair from Postgres, and every handler re-reads the booking anyway.
 */
import { jobId, type Jobs, type Queue } from '@midas/jobs';
import type { Logger } from '@midas/observability';
import type { BookingRow } from '../db/schema';
import { noShowAt } from '../domain/attendance';
import { DEFAULT_DEPOSIT_LEAD_HOURS, depositAuthorizeAt } from '../domain/deposit-schedule';
import { normalizeOffsets, upcomingReminders, type ReminderOffset } from '../domain/reminder-schedule';
import type { LifecycleJobs } from '../flows/context';

export const REMINDERS_QUEUE = 'reminders';
export const LIFECYCLE_QUEUE = 'lifecycle';
/** Only the refund repair sweep runs here: refunds wait on the payment provider, not on a moment. */
export const REFUNDS_QUEUE = 'refunds';
/** The rescue of confirmed bookings without a concierge: its sweep, and `rescue` jobs when capacity appears. */
export const ASSIGNMENTS_QUEUE = 'assignments';
/** The daily payment reconciliation (jobs/reconciliation-worker.ts). */
export const RECONCILIATION_QUEUE = 'reconciliation';
export const PAYMENTS_RECONCILIATION_JOB = 'payments';
export const RESCUE_JOB = 'rescue';
/** The security deposits' authorisation at their lead time (jobs/deposit-worker.ts), and its repair sweep. */
export const DEPOSITS_QUEUE = 'deposits';
export const DEPOSIT_JOB = 'authorize';

export interface ReminderJob {
  bookingId: string;
  label: string;
  offsetSeconds: number;
  dueAt: string;
}
export interface LifecycleJob {
  bookingId: string;
}
/** Job names on the lifecycle queue; `sweep` is the repair on both queues. */
export type LifecycleJobName = 'no-show' | 'complete';
export const SWEEP_JOB = 'sweep';

export function reminderJobId(bookingId: string, label: string): string {
  return jobId('reminder', bookingId, label);
}
export function lifecycleJobId(name: LifecycleJobName, bookingId: string): string {
  return jobId(name, bookingId);
}
export function depositJobId(bookingId: string): string {
  return jobId('deposit', bookingId);
}

export interface BookingJobsOptions {
  offsets: readonly ReminderOffset[];
  graceMinutes: number;
  now: () => Date;
  /** DEPOSIT_AUTH_LEAD_HOURS (default 48). */
  depositLeadHours?: number;
}

export class BookingJobs implements LifecycleJobs {
  private readonly offsets: ReminderOffset[];

  constructor(
    private readonly jobs: Jobs,
    private readonly logger: Logger,
    private readonly options: BookingJobsOptions,
  ) {
    this.offsets = normalizeOffsets(options.offsets);
  }

  async scheduleLifecycleJobs(booking: BookingRow): Promise<void> {
    const now = this.options.now();
    const upcoming = new Map(
      upcomingReminders(booking.startAt, this.offsets, now).map((m) => [m.offset.seconds, m]),
    );
    const reminders = this.jobs.queue<ReminderJob>(REMINDERS_QUEUE);
    const lifecycle = this.jobs.queue<LifecycleJob>(LIFECYCLE_QUEUE);
    const at = (when: Date) => Math.max(0, when.getTime() - now.getTime());
    try {
      await Promise.all([
        ...this.offsets.map(async (offset) => {
          const id = reminderJobId(booking.id, offset.label);
          await reminders.remove(id);
          const moment = upcoming.get(offset.seconds);
          if (!moment) return;
          await reminders.add(
            'remind',
            {
              bookingId: booking.id,
              label: offset.label,
              offsetSeconds: offset.seconds,
              dueAt: moment.dueAt.toISOString(),
            },
            { jobId: id, delay: at(moment.dueAt) },
          );
        }),
        this.replace(
          lifecycle,
          'no-show',
          booking.id,
          at(noShowAt(booking.startAt, this.options.graceMinutes)),
        ),
        this.replace(lifecycle, 'complete', booking.id, at(booking.endAt)),
        this.scheduleDeposit(booking),
      ]);
    } catch (err) {
      this.logger.warn(
        { err, bookingId: booking.id },
        'could not schedule lifecycle jobs; the sweeps will act',
      );
    }
  }

  async cancelLifecycleJobs(bookingId: string): Promise<void> {
    const reminders = this.jobs.queue<ReminderJob>(REMINDERS_QUEUE);
    const lifecycle = this.jobs.queue<LifecycleJob>(LIFECYCLE_QUEUE);
    try {
      await Promise.all([
        ...this.offsets.map((o) => reminders.remove(reminderJobId(bookingId, o.label))),
        lifecycle.remove(lifecycleJobId('no-show', bookingId)),
        lifecycle.remove(lifecycleJobId('complete', bookingId)),
        this.jobs.queue<LifecycleJob>(DEPOSITS_QUEUE).remove(depositJobId(bookingId)),
      ]);
    } catch (err) {
      // A job left behind re-reads the booking and does nothing.
      this.logger.warn({ err, bookingId }, 'could not remove lifecycle jobs');
    }
  }

  /** The deposit's authorisation at start - lead (at once when that has passed); replaces an earlier one. */
  async scheduleDeposit(booking: Pick<BookingRow, 'id' | 'startAt'>): Promise<void> {
    const deposits = this.jobs.queue<LifecycleJob>(DEPOSITS_QUEUE);
    const id = depositJobId(booking.id);
    const when = depositAuthorizeAt(
      booking.startAt,
      this.options.depositLeadHours ?? DEFAULT_DEPOSIT_LEAD_HOURS,
    );
    await deposits.remove(id);
    await deposits.add(
      DEPOSIT_JOB,
      { bookingId: booking.id },
      { jobId: id, delay: Math.max(0, when.getTime() - this.options.now().getTime()) },
    );
  }

  /** For the repair sweep: re-creates the deposit job of a booking when Redis lost it. */
  async ensureDepositJob(booking: Pick<BookingRow, 'id' | 'startAt'>): Promise<boolean> {
    const existing = await this.jobs.queue<LifecycleJob>(DEPOSITS_QUEUE).getJob(depositJobId(booking.id));
    // A job that already ran (kept for a while after) does not stand for a deposit still waiting.
    if (existing && !['completed', 'failed'].includes(await existing.getState())) return false;
    await this.scheduleDeposit(booking);
    return true;
  }

  private async replace(
    queue: Queue<LifecycleJob>,
    name: LifecycleJobName,
    bookingId: string,
    delay: number,
  ): Promise<void> {
    const id = lifecycleJobId(name, bookingId);
    await queue.remove(id);
    await queue.add(name, { bookingId }, { jobId: id, delay });
  }
}
