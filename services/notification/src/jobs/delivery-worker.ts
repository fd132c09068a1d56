/** Runs the `notifications` queue: delivery jobs, and the periodic repair of messages left pending. */
import { waitingForCommit, type Jobs, type Worker } from '@midas/jobs';
import type { Logger } from '@midas/observability';
import { deliverMessage } from '../flows/deliver-message';
import type { FlowContext } from '../flows/context';
import { requeueStaleMessages } from '../flows/requeue-stale-messages';
import { DELIVERY_QUEUE, type DeliveryJob, type DeliveryQueue } from './delivery-queue';

const REPAIR_SCHEDULER = 'notifications-repair';

export interface WorkerOptions {
  concurrency: number;
  /** How often pending messages are checked for a lost job (ms). */
  repairEveryMs: number;
  /** How long a message may stay pending before it counts as lost (ms). */
  staleAfterMs: number;
}

export class DeliveryWorker {
  private worker: Worker<DeliveryJob | Record<string, never>> | undefined;
  private watchdog: NodeJS.Timeout | undefined;

  constructor(
    private readonly jobs: Jobs,
    private readonly delivery: DeliveryQueue,
    private readonly logger: Logger,
    private readonly options: WorkerOptions,
  ) {}

  async start(ctx: FlowContext): Promise<void> {
    this.worker = this.jobs.worker<DeliveryJob | Record<string, never>>(
      DELIVERY_QUEUE,
      async (job, token) => {
        if (job.name === 'repair') return requeueStaleMessages(ctx, this.options.staleAfterMs);
        const { communicationId } = job.data as DeliveryJob;
        const attempts = job.opts.attempts ?? 1;
        // Waiting for the commit costs no delivery attempt; a transaction that never commits does, in the end.
        return waitingForCommit(job, token, () =>
          deliverMessage(ctx, communicationId, { last: job.attemptsMade + 1 >= attempts }),
        );
      },
      { concurrency: this.options.concurrency },
    );
    await this.assertRepairScheduler();
    // A Redis that lost its data has also forgotten the scheduler: assert it again now and then.
    this.watchdog = setInterval(
      () => void this.assertRepairScheduler(),
      Math.max(60_000, this.options.repairEveryMs),
    );
    this.watchdog.unref();
  }

  stop(): void {
    clearInterval(this.watchdog);
  }

  private async assertRepairScheduler(): Promise<void> {
    try {
      await this.delivery.queue.upsertJobScheduler(
        REPAIR_SCHEDULER,
        { every: this.options.repairEveryMs },
        { name: 'repair', data: {} as DeliveryJob, opts: { attempts: 1 } },
      );
    } catch (err) {
      this.logger.warn({ err }, 'could not register the notification repair; retrying');
    }
  }
}
