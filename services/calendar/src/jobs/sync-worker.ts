/**
 * Runs the `calendar-sync` queue: Google writes, reads of linked calendars (pushed, and every
 * `pollEveryMs` for all of them), and channel renewal.
 */
import { waitingForCommit, type Jobs, type Worker } from '@midas/jobs';
import type { Logger } from '@midas/observability';
import type { FlowContext } from '../flows/context';
import { pollLinkedCalendars } from '../flows/poll-linked-calendars';
import { pullCalendarChanges } from '../flows/pull-calendar-changes';
import { renewChannels } from '../flows/renew-channels';
import { writeEntry } from '../flows/write-entry';
import { SYNC_QUEUE, type PullJob, type SyncJob, type SyncQueue, type WriteJob } from './sync-queue';

const RENEW_SCHEDULER = 'calendar-channel-renewal';
const POLL_SCHEDULER = 'calendar-poll';

export class SyncWorker {
  private worker: Worker<SyncJob> | undefined;

  constructor(
    private readonly jobs: Jobs,
    private readonly queue: SyncQueue,
    private readonly logger: Logger,
    private readonly options: { concurrency: number; renewEveryMs: number; pollEveryMs: number },
  ) {}

  async start(ctx: FlowContext): Promise<void> {
    this.worker = this.jobs.worker<SyncJob>(
      SYNC_QUEUE,
      async (job, token) => {
        if (job.name === 'renew') return renewChannels(ctx);
        if (job.name === 'poll') return pollLinkedCalendars(ctx, String(job.timestamp));
        if (job.name === 'pull') return pullCalendarChanges(ctx, (job.data as PullJob).itemId);
        const attempts = job.opts.attempts ?? 1;
        // Waiting for the commit costs no attempt; a transaction that never commits does, in the end.
        return waitingForCommit(job, token, () =>
          writeEntry(ctx, job.data as WriteJob, { last: job.attemptsMade + 1 >= attempts }),
        );
      },
      { concurrency: this.options.concurrency },
    );
    if (ctx.google && ctx.webhookUrl) {
      await this.schedule(RENEW_SCHEDULER, this.options.renewEveryMs, 'renew', 'channel renewal');
    }
    if (ctx.google) {
      // Pushes can be lost (or not configured): every linked calendar is also read on a schedule.
      await this.schedule(POLL_SCHEDULER, this.options.pollEveryMs, 'poll', 'calendar reads');
    }
  }

  /** A failure to schedule is logged, not thrown: the service runs on, only without that round. */
  private async schedule(scheduler: string, every: number, name: 'renew' | 'poll', what: string) {
    await this.queue.queue
      .upsertJobScheduler(scheduler, { every }, { name, data: {}, opts: { attempts: 1 } })
      .catch((err: unknown) => this.logger.warn({ err }, `could not schedule ${what}`));
  }
}
