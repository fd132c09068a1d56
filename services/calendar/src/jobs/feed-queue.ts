/**
 * The `calendar-feeds` BullMQ queue: one delayed `fetch` job per imported feed at its next fetch
 * time (its id derived from the feed and that time, so a time is queued once), an immediate one
 * when a feed is registered, and the periodic `repair` that queues, from PostgreSQL, any feed
 * whose job Redis lost.
 */
import { randomBytes } from 'node:crypto';
import { jobId, type Jobs, type Queue } from '@midas/jobs';

export const FEED_QUEUE = 'calendar-feeds';

export interface FetchFeedJob {
  feedId: string;
  /** Fetch even if the feed is not due (a new feed, fetched at once). */
  force?: boolean;
}
export type FeedJob = FetchFeedJob | Record<string, never>;

export class FeedQueue {
  readonly queue: Queue<FeedJob>;

  constructor(jobs: Jobs) {
    // A fetch records its own failure and schedules the next one with backoff: no BullMQ retries.
    this.queue = jobs.queue<FeedJob>(FEED_QUEUE, { attempts: 1 });
  }

  /** The feed's fetch at `at` (now if past); the same feed and time twice queue one job. */
  async scheduleFetch(feedId: string, at: Date, now = new Date()): Promise<void> {
    await this.queue.add(
      'fetch',
      { feedId },
      { jobId: jobId('feed', feedId, at.getTime()), delay: Math.max(0, at.getTime() - now.getTime()) },
    );
  }

  async fetchNow(feedId: string): Promise<void> {
    await this.queue.add(
      'fetch',
      { feedId, force: true },
      { jobId: jobId('feed', feedId, `now${randomBytes(6).toString('hex')}`) },
    );
  }
}
