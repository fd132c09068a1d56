/**
 * The repair sweeps and the daily payment reconciliation as BullMQ job schedulers, one per queue. A Redis that lost its data forgets
 * them too, so a watchdog re-asserts them (an upsert of the same scheduler is a no-op otherwise).
 */
import type { Jobs } from '@midas/jobs';
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

export class SweepSchedule {
  private watchdog: NodeJS.Timeout | undefined;

  constructor(
    private readonly jobs: Jobs,
    private readonly logger: Logger,
    private readonly options: {
      everyMs: number;
      watchdogEveryMs: number;
      refundsEveryMs: number;
      assignmentsEveryMs: number;
      depositsEveryMs: number;
      /** The payment reconciliation: a cron pattern in UTC, or a period (tests). */
      reconciliation: { pattern: string } | { every: number };
    },
  ) {}

  private get schedulers() {
    return [
      { queue: REMINDERS_QUEUE, id: 'reminders-sweep', repeat: { every: this.options.everyMs } },
      { queue: LIFECYCLE_QUEUE, id: 'lifecycle-sweep', repeat: { every: this.options.everyMs } },
      { queue: REFUNDS_QUEUE, id: 'refunds-sweep', repeat: { every: this.options.refundsEveryMs } },
      {
        queue: ASSIGNMENTS_QUEUE,
        id: 'assignments-sweep',
        repeat: { every: this.options.assignmentsEveryMs },
      },
      { queue: DEPOSITS_QUEUE, id: 'deposits-sweep', repeat: { every: this.options.depositsEveryMs } },
      {
        queue: RECONCILIATION_QUEUE,
        id: 'payments-reconciliation',
        name: PAYMENTS_RECONCILIATION_JOB,
        repeat:
          'pattern' in this.options.reconciliation
            ? { pattern: this.options.reconciliation.pattern, tz: 'UTC' }
            : this.options.reconciliation,
      },
    ];
  }

  async start(): Promise<void> {
    await this.assert();
    this.watchdog = setInterval(() => void this.assert(), this.options.watchdogEveryMs);
    this.watchdog.unref();
  }

  stop(): void {
    clearInterval(this.watchdog);
  }

  private async assert(): Promise<void> {
    await Promise.all(
      this.schedulers.map(({ queue, id, name, repeat }) =>
        this.jobs
          .queue(queue)
          .upsertJobScheduler(id, repeat, { name: name ?? SWEEP_JOB, data: {} })
          .catch((err: unknown) =>
            this.logger.warn({ err, scheduler: id }, 'could not register a sweep; retrying'),
          ),
      ),
    );
  }
}
