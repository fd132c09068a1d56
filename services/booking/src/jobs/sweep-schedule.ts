/**
 * The repair sweeps as BullMQ job schedulers, one per queue. A Redis that lost its data forgets
 * them too, so a watchdog re-asserts them (an upsert of the same scheduler is a no-op otherwise).
 */
import type { Jobs } from '@midas/jobs';
import type { Logger } from '@midas/observability';
import {
  ASSIGNMENTS_QUEUE,
  LIFECYCLE_QUEUE,
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
    },
  ) {}

  private get schedulers() {
    return [
      { queue: REMINDERS_QUEUE, id: 'reminders-sweep', every: this.options.everyMs },
      { queue: LIFECYCLE_QUEUE, id: 'lifecycle-sweep', every: this.options.everyMs },
      { queue: REFUNDS_QUEUE, id: 'refunds-sweep', every: this.options.refundsEveryMs },
      { queue: ASSIGNMENTS_QUEUE, id: 'assignments-sweep', every: this.options.assignmentsEveryMs },
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
      this.schedulers.map(({ queue, id, every }) =>
        this.jobs
          .queue(queue)
          .upsertJobScheduler(id, { every }, { name: SWEEP_JOB, data: {} })
          .catch((err: unknown) =>
            this.logger.warn({ err, scheduler: id }, 'could not register a sweep; retrying'),
          ),
      ),
    );
  }
}
