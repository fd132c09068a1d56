/** What the calendar flows work with: the database, the log, Google (when sync is on), the sync queue and feed import. */
import type { ItemSnapshot } from '@midas/contracts';
import type { Db } from '@midas/db';
import type { Logger } from '@midas/observability';
import type { GoogleCalendar } from '../google/google-calendar';
import type { FeedQueue } from '../jobs/feed-queue';
import type { FeedFetcher } from '../net/feed-fetcher';
import type { SyncQueue } from '../jobs/sync-queue';
import type { CalendarMetrics } from './calendar-metrics';

export interface FlowContext {
  db: Db;
  logger: Logger;
  /** Whether Google sync is on, and why not when it is off. */
  sync: { enabled: boolean; reason: string | null };
  /** Null when sync is off. */
  google: GoogleCalendar | null;
  queue: SyncQueue;
  /** The public address Google posts push notifications to; no channels are opened without it. */
  webhookUrl: string | null;
  /** Lifetime asked for a push channel. */
  channelTtlSeconds: number;
  now: () => Date;
  metrics?: CalendarMetrics;
  /**
   * Asks availability for an item calendar has no copy of (one created before calendar first
   * consumed item events); undefined when availability does not know it either.
   */
  fetchItem?: (itemId: string) => Promise<ItemSnapshot | undefined>;
  /** Imported iCalendar feeds: how they are fetched, scheduled and read. */
  feeds: FeedSettings;
}

export interface FeedSettings {
  fetcher: FeedFetcher;
  queue: FeedQueue;
  /** Occurrences starting further ahead than this are not imported. */
  horizonDays: number;
  /** At most this many events ahead are imported from one feed (the earliest). */
  maxEvents: number;
  /** How long one fetch may hold a feed before another may take it over. */
  leaseSeconds: number;
}
