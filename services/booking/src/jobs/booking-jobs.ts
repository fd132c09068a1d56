/**
 * The delayed jobs that follow a confirmed booking, with ids derived from what they are about:
 * `reminder.<booking>.<offset>` on `reminders`, `no-show.<booking>` and `complete.<booking>` on
 * `lifecycle`, `deposit.<booking>` on `deposits` (the security deposit's authorisation at
 * start - DEPOSIT_AUTH_LEAD_HOURS; a booking without a deposit finds nothing to do). A confirmed
 * booking's jobs are added in bulk without removals (a repeat finds the ids taken and changes
 * nothing); a change of dates removes and adds them again; cancelling removes them. Redis being away never fails the request that
 * scheduled: the sweeps repair from Postgres, and every handler re-reads the booking anyway.
 */
import { jobId, type Jobs } from '@midas/jobs';
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

  /**
   * A booking's first scheduling (it was just confirmed): every job is added, each queue's in one
   * addBulk, with no removal first, since none of them can exist yet (a repeat of the same
   * confirmation finds the ids taken, and BullMQ keeps the job it has).
   */
  async scheduleLifecycleJobs(booking: BookingRow): Promise<void> {
    try {
      await this.addLifecycleJobs(booking);
    } catch (err) {
      this.logger.warn(
        { err, bookingId: booking.id },
        'could not schedule lifecycle jobs; the sweeps will act',
      );
    }
  }

  /** After a change of dates: the booking's jobs are removed and added again at the new moments. */
  async moveLifecycleJobs(booking: BookingRow): Promise<void> {
    try {
      await this.removeLifecycleJobs(booking.id);
      await this.addLifecycleJobs(booking);
    } catch (err) {
      this.logger.warn({ err, bookingId: booking.id }, 'could not move lifecycle jobs; the sweeps will act');
    }
  }

  async cancelLifecycleJobs(bookingId: string): Promise<void> {
    try {
      await this.removeLifecycleJobs(bookingId);
    } catch (err) {
      // A job left behind re-reads the booking and does nothing.
      this.logger.warn({ err, bookingId }, 'could not remove lifecycle jobs');
    }
  }

  private async addLifecycleJobs(booking: BookingRow): Promise<void> {
    const now = this.options.now();
    const at = (when: Date) => Math.max(0, when.getTime() - now.getTime());
    const reminders = upcomingReminders(booking.startAt, this.offsets, now).map((m) => ({
      name: 'remind',
      data: {
        bookingId: booking.id,
        label: m.offset.label,
        offsetSeconds: m.offset.seconds,
        dueAt: m.dueAt.toISOString(),
      },
      opts: { jobId: reminderJobId(booking.id, m.offset.label), delay: at(m.dueAt) },
    }));
    const lifecycle = (
      [
        ['no-show', noShowAt(booking.startAt, this.options.graceMinutes)],
        ['complete', booking.endAt],
      ] as const
    ).map(([name, when]) => ({
      name,
      data: { bookingId: booking.id },
      opts: { jobId: lifecycleJobId(name, booking.id), delay: at(when) },
    }));
    await Promise.all([
      reminders.length > 0 ? this.jobs.queue<ReminderJob>(REMINDERS_QUEUE).addBulk(reminders) : undefined,
      this.jobs.queue<LifecycleJob>(LIFECYCLE_QUEUE).addBulk(lifecycle),
      this.addDeposit(booking),
    ]);
  }

  private async removeLifecycleJobs(bookingId: string): Promise<void> {
    const reminders = this.jobs.queue<ReminderJob>(REMINDERS_QUEUE);
    const lifecycle = this.jobs.queue<LifecycleJob>(LIFECYCLE_QUEUE);
    await Promise.all([
      ...this.offsets.map((o) => reminders.remove(reminderJobId(bookingId, o.label))),
      lifecycle.remove(lifecycleJobId('no-show', bookingId)),
      lifecycle.remove(lifecycleJobId('complete', bookingId)),
      this.jobs.queue<LifecycleJob>(DEPOSITS_QUEUE).remove(depositJobId(bookingId)),
    ]);
  }

  /** The deposit's authorisation at start - lead (at once when that has passed); replaces an earlier one. */
  async scheduleDeposit(booking: Pick<BookingRow, 'id' | 'startAt'>): Promise<void> {
    await this.jobs.queue<LifecycleJob>(DEPOSITS_QUEUE).remove(depositJobId(booking.id));
    await this.addDeposit(booking);
  }

  private async addDeposit(booking: Pick<BookingRow, 'id' | 'startAt'>): Promise<void> {
    const when = depositAuthorizeAt(
      booking.startAt,
      this.options.depositLeadHours ?? DEFAULT_DEPOSIT_LEAD_HOURS,
    );
    await this.jobs.queue<LifecycleJob>(DEPOSITS_QUEUE).add(
      DEPOSIT_JOB,
      { bookingId: booking.id },
      {
        jobId: depositJobId(booking.id),
        delay: Math.max(0, when.getTime() - this.options.now().getTime()),
      },
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
}
