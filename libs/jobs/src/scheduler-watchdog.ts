/**
 * BullMQ job schedulers kept registered: a Redis that lost its data forgets its schedulers too, so
 * a watchdog re-asserts them every so often (an upsert of an unchanged scheduler is a no-op).
 */
import type { RepeatOptions } from 'bullmq';
import type { Logger } from '@midas/observability';
import type { Jobs } from './jobs';

export interface KeptScheduler {
  queue: string;
  /** The scheduler's id, which each upsert matches. */
  id: string;
  /** The name of the jobs it adds (their data is empty). */
  name: string;
  repeat: Omit<RepeatOptions, 'key'>;
}

export class SchedulerWatchdog {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly jobs: Jobs,
    private readonly logger: Logger,
    private readonly schedulers: KeptScheduler[],
    private readonly everyMs: number,
  ) {}

  /** Registers the schedulers, then again every `everyMs` until stopped. */
  async start(): Promise<void> {
    await this.assert();
    this.timer = setInterval(() => void this.assert(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** A scheduler Redis refused is logged and tried again at the next round, never thrown. */
  private async assert(): Promise<void> {
    await Promise.all(
      this.schedulers.map(({ queue, id, name, repeat }) =>
        this.jobs
          .queue(queue)
          .upsertJobScheduler(id, repeat, { name, data: {} })
          .catch((err: unknown) =>
            this.logger.warn({ err, scheduler: id }, 'could not register a job scheduler; retrying'),
          ),
      ),
    );
  }
}
