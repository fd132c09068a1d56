/**
 * Runs the `calendar-feeds` queue: feed fetches, and the periodic repair that re-queues feeds
 * whose jobs Redis lost. A Redis that lost its data forgets the repair scheduler too, so a
 * watchdog re-asserts it (an upsert of the same scheduler is a no-op otherwise).
 */
import type { Jobs, Worker } from '@midas/jobs';
import type { Logger } from '@midas/observability';
import type { FlowContext } from '../flows/context';
import { fetchFeed } from '../flows/fetch-feed';
import { repairFeedSchedule } from '../flows/repair-feed-schedule';
import { FEED_QUEUE, type FeedJob, type FetchFeedJob } from './feed-queue';

const REPAIR_SCHEDULER = 'calendar-feed-repair';

export class FeedWorker {
  private worker: Worker<FeedJob> | undefined;
  private watchdog: NodeJS.Timeout | undefined;

  constructor(
    private readonly jobs: Jobs,
    private readonly logger: Logger,
    private readonly options: { concurrency: number; repairEveryMs: number },
  ) {}

  async start(ctx: FlowContext): Promise<void> {
    this.worker = this.jobs.worker<FeedJob>(
      FEED_QUEUE,
      async (job) => {
        if (job.name === 'repair') return repairFeedSchedule(ctx);
        const data = job.data as FetchFeedJob;
        return fetchFeed(ctx, data.feedId, { force: data.force === true });
      },
      { concurrency: this.options.concurrency },
    );
    await this.assertRepair(ctx);
    this.watchdog = setInterval(
      () => void this.assertRepair(ctx),
      Math.max(this.options.repairEveryMs, 10_000),
    );
    this.watchdog.unref();
  }

  stop(): void {
    clearInterval(this.watchdog);
  }

  private async assertRepair(ctx: FlowContext): Promise<void> {
    await ctx.feeds.queue.queue
      .upsertJobScheduler(
        REPAIR_SCHEDULER,
        { every: this.options.repairEveryMs },
        { name: 'repair', data: {}, opts: { attempts: 1 } },
      )
      .catch((err: unknown) => this.logger.warn({ err }, 'could not schedule the feed repair; retrying'));
  }
}
