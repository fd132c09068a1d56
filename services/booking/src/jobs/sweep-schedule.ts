/**
 * The repair sweeps and the daily payment reconciliation as BullMQ job schedulers, one per queue,
 * kept registered by a watchdog should Redis lose them.
 */
import { SchedulerWatchdog, type Jobs } from '@midas/jobs';
import type { Logger } from '@midas/observability';
import {
  ASSIGNMENTS_QUEUE,
  DEPOSITS_QUEUE,
  LIFECYCLE_QUEUE,
  PAYMENTS_RECONCILIATION_JOB,
  RECONCILIATION_QUEUE,
  REFUNDS_QUEUE,
  REMINDERS_QUEUE,
  SWEEP_JOB,
} from './booking-jobs';

export interface SweepPeriods {
  everyMs: number;
  watchdogEveryMs: number;
  refundsEveryMs: number;
  assignmentsEveryMs: number;
  depositsEveryMs: number;
  /** The payment reconciliation: a cron pattern in UTC, or a period (tests). */
  reconciliation: { pattern: string } | { every: number };
}

export function sweepSchedule(jobs: Jobs, logger: Logger, periods: SweepPeriods): SchedulerWatchdog {
  const sweep = (queue: string, id: string, every: number) => ({
    queue,
    id,
    name: SWEEP_JOB,
    repeat: { every },
  });
  const { reconciliation } = periods;
  return new SchedulerWatchdog(
    jobs,
    logger,
    [
      sweep(REMINDERS_QUEUE, 'reminders-sweep', periods.everyMs),
      sweep(LIFECYCLE_QUEUE, 'lifecycle-sweep', periods.everyMs),
      sweep(REFUNDS_QUEUE, 'refunds-sweep', periods.refundsEveryMs),
      sweep(ASSIGNMENTS_QUEUE, 'assignments-sweep', periods.assignmentsEveryMs),
      sweep(DEPOSITS_QUEUE, 'deposits-sweep', periods.depositsEveryMs),
      {
        queue: RECONCILIATION_QUEUE,
        id: 'payments-reconciliation',
        name: PAYMENTS_RECONCILIATION_JOB,
        repeat: 'pattern' in reconciliation ? { pattern: reconciliation.pattern, tz: 'UTC' } : reconciliation,
      },
    ],
    periods.watchdogEveryMs,
  );
}
