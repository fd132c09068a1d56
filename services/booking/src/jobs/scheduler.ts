/**
 * The booking service's time-driven work (docs/design.md "Time"), wired once at start: the jobs the
 * flows schedule, the workers that run them, and the sweeps that repair what Redis lost.
 */
import type { SchedulerWatchdog } from '@midas/jobs';
import type { ServiceContext } from '@midas/runtime';
import { normalizeOffsets } from '../domain/reminder-schedule';
import type { FlowContext } from '../flows/context';
import { AssignmentRescue, startAssignmentWorker } from './assignment-worker';
import { BookingJobs } from './booking-jobs';
import { startDepositWorker } from './deposit-worker';
import { startLifecycleWorker } from './lifecycle-worker';
import { ReconciliationMetrics } from '../metrics/reconciliation-gauges';
import { recordSourcesFor } from '../payments/record-sources';
import { startReconciliationWorker } from './reconciliation-worker';
import { startRefundWorker } from './refund-worker';
import { ReminderMetrics } from './reminder-metrics';
import { startReminderWorker } from './reminder-worker';
import { sweepSchedule } from './sweep-schedule';

export interface SchedulerOptions {
  /** How often each sweep runs (ms). */
  sweepEveryMs: number;
  /** How often the sweeps' schedulers are re-asserted in Redis (ms). */
  watchdogEveryMs: number;
  /** How long after its hold lapsed an unpaid booking is expired by the sweep, leaving availability's hold.expired time to do it first (ms). */
  unpaidGraceMs: number;
  /** Reminder jobs handled at once by this process; they wait mostly on Postgres, in shared transactions. */
  reminderConcurrency: number;
  /** Reminders decided and recorded in one transaction; several batches run at once when the concurrency allows. */
  reminderBatchSize: number;
  /** How often the refund repair sweep runs (ms). */
  refundSweepEveryMs: number;
  /** Wait before an open refund is first revisited, doubled after each visit up to the max (ms). */
  refundRetryBaseMs: number;
  refundRetryMaxMs: number;
  /** How often confirmed bookings without a concierge are offered to the assignment rule again (ms). */
  assignmentSweepEveryMs: number;
  /** How often the deposit repair sweep runs (ms). */
  depositSweepEveryMs: number;
  /** Runs the payment reconciliation this often (ms) instead of on RECONCILE_CRON (tests). */
  reconcileEveryMs?: number;
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = {
  sweepEveryMs: 30_000,
  watchdogEveryMs: 30_000,
  unpaidGraceMs: 60_000,
  // Measured with bench/reminders (10k due at once): 256 jobs in flight left batches waiting on
  // BullMQ for free slots (p99 2.3-2.7x bare BullMQ); 1,024 keeps Postgres and Redis both busy (1.4-1.7x).
  reminderConcurrency: 1024,
  reminderBatchSize: 500,
  refundSweepEveryMs: 30_000,
  refundRetryBaseMs: 30_000,
  refundRetryMaxMs: 3_600_000,
  assignmentSweepEveryMs: 30_000,
  depositSweepEveryMs: 30_000,
};

export class Scheduler {
  readonly lifecycleJobs: BookingJobs;
  readonly assignments: AssignmentRescue;
  private readonly options: SchedulerOptions;
  private readonly sweeps: SchedulerWatchdog;

  constructor(
    private readonly ctx: Pick<ServiceContext, 'cfg' | 'jobs' | 'logger' | 'metrics' | 'lifecycle'>,
    options: Partial<SchedulerOptions> = {},
    now: () => Date = () => new Date(),
  ) {
    this.options = { ...DEFAULT_SCHEDULER_OPTIONS, ...options };
    this.lifecycleJobs = new BookingJobs(ctx.jobs, ctx.logger, {
      offsets: ctx.cfg.REMINDER_OFFSETS,
      graceMinutes: ctx.cfg.NO_SHOW_GRACE_MINUTES,
      now,
      depositLeadHours: ctx.cfg.DEPOSIT_AUTH_LEAD_HOURS,
    });
    this.sweeps = sweepSchedule(ctx.jobs, ctx.logger, {
      everyMs: this.options.sweepEveryMs,
      watchdogEveryMs: this.options.watchdogEveryMs,
      refundsEveryMs: this.options.refundSweepEveryMs,
      assignmentsEveryMs: this.options.assignmentSweepEveryMs,
      depositsEveryMs: this.options.depositSweepEveryMs,
      reconciliation: this.options.reconcileEveryMs
        ? { every: this.options.reconcileEveryMs }
        : { pattern: ctx.cfg.RECONCILE_CRON },
    });
    this.assignments = new AssignmentRescue(ctx.jobs, ctx.logger);
  }

  /** Starts the workers and the sweeps; they stop with the service's jobs. */
  async start(deps: FlowContext): Promise<void> {
    const logger = this.ctx.logger.child({ component: 'scheduler' });
    startReminderWorker(this.ctx.jobs, deps, {
      offsets: normalizeOffsets(this.ctx.cfg.REMINDER_OFFSETS),
      concurrency: this.options.reminderConcurrency,
      batchSize: this.options.reminderBatchSize,
      metrics: new ReminderMetrics(this.ctx.metrics),
      logger,
    });
    startLifecycleWorker(this.ctx.jobs, deps, {
      graceMinutes: this.ctx.cfg.NO_SHOW_GRACE_MINUTES,
      unpaidGraceMs: this.options.unpaidGraceMs,
      logger,
    });
    startRefundWorker(this.ctx.jobs, deps, {
      baseMs: this.options.refundRetryBaseMs,
      maxMs: this.options.refundRetryMaxMs,
      batch: 100,
      logger,
    });
    startAssignmentWorker(this.ctx.jobs, deps, {
      alertHours: this.ctx.cfg.UNASSIGNED_ALERT_HOURS,
      batch: 200,
      logger,
    });
    startDepositWorker(this.ctx.jobs, deps, { scheduler: this.lifecycleJobs, logger });
    startReconciliationWorker(this.ctx.jobs, deps, {
      sources: recordSourcesFor(this.ctx.cfg),
      windowSeconds: this.ctx.cfg.RECONCILE_WINDOW,
      metrics: new ReconciliationMetrics(this.ctx.metrics),
      logger,
    });
    await this.sweeps.start();
    this.ctx.lifecycle.onStop('sweep-watchdog', () => this.sweeps.stop());
  }
}
