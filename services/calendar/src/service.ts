/**
 * Wiring of the calendar service: the entry consumer, Google sync (when configured), the sync
 * queue and worker, imported iCalendar feeds (fetcher, queue and worker), HTTP.
 */
import { itemFetcher } from '@midas/contracts';
import { createDb } from '@midas/db';
import { defineService, type ServiceDefinition } from '@midas/runtime';
import { syncSettings } from './domain/sync-settings';
import { consumeEntryEvents } from './events/consume/entry-consumer';
import { createCalendarMetrics } from './flows/calendar-metrics';
import type { FlowContext } from './flows/context';
import { GoogleCalendar } from './google/google-calendar';
import { calendarRoutes } from './http/routes';
import { FeedQueue } from './jobs/feed-queue';
import { FeedWorker } from './jobs/feed-worker';
import { FeedFetcher } from './net/feed-fetcher';
import { DEFAULT_SYNC_POLICY, SyncQueue, type SyncPolicy } from './jobs/sync-queue';
import { SyncWorker } from './jobs/sync-worker';

export interface CalendarOptions {
  sync?: Partial<SyncPolicy>;
  /** Public address of POST /v1/calendar/google/notifications (default: CALENDAR_WEBHOOK_URL). */
  webhookUrl?: string;
  /** Lifetime asked for a push channel (default 7 days, Google's maximum). */
  channelTtlSeconds?: number;
  /** How often every linked calendar is read (default: CALENDAR_POLL_SECONDS). */
  pollEveryMs?: number;
  /** How often channels close to lapsing are renewed (default 1 h). */
  renewEveryMs?: number;
  /** Timeout of one Google call (default 10 s). */
  googleTimeoutMs?: number;
  now?: () => Date;
  feeds?: Partial<FeedImportOptions>;
}

export interface FeedImportOptions {
  /** Feeds may be http and on loopback or private addresses (default: ICAL_IMPORT_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  /** Deadline of one fetch, redirects and body included (default 30 s). */
  timeoutMs: number;
  /** Largest feed read (default 16 MiB: channels' feeds of several years run to a few MB). */
  maxBytes: number;
  /** Redirects followed, each checked like the first address (default 5). */
  maxRedirects: number;
  /** Occurrences starting further ahead are not imported (default 730 days). */
  horizonDays: number;
  /** Events ahead imported from one feed, the earliest (default 2000). */
  maxEvents: number;
  /** How often feeds whose fetch job was lost are queued again (default 60 s). */
  repairEveryMs: number;
}

export const DEFAULT_FEED_IMPORT: Omit<FeedImportOptions, 'allowPrivate'> = {
  timeoutMs: 30_000,
  maxBytes: 16 * 1024 * 1024,
  maxRedirects: 5,
  horizonDays: 730,
  maxEvents: 2000,
  repairEveryMs: 60_000,
};

export function defineCalendarService(options: CalendarOptions = {}): ServiceDefinition {
  return defineService(__dirname, 'calendar', {
    async setup(ctx) {
      const settings = syncSettings(ctx.cfg);
      const google = settings.enabled
        ? new GoogleCalendar({ ...settings, timeoutMs: options.googleTimeoutMs })
        : null;
      if (settings.enabled) {
        ctx.logger.info({ account: settings.email, api: settings.rootUrl }, 'Google Calendar sync on');
      } else {
        ctx.logger.warn(
          { reason: settings.reason },
          'Google Calendar sync off; iCalendar feeds still served',
        );
      }
      const address = options.webhookUrl ?? ctx.cfg.CALENDAR_WEBHOOK_URL;
      const queue = new SyncQueue(ctx.jobs, { ...DEFAULT_SYNC_POLICY, ...options.sync });
      const feedOptions: FeedImportOptions = {
        allowPrivate: ctx.cfg.ICAL_IMPORT_ALLOW_PRIVATE,
        ...DEFAULT_FEED_IMPORT,
        ...options.feeds,
      };
      if (feedOptions.allowPrivate) {
        ctx.logger.warn(
          'ICAL_IMPORT_ALLOW_PRIVATE is on: imported feeds may be http and on private addresses',
        );
      }
      const fetcher = new FeedFetcher(feedOptions);
      ctx.lifecycle.onStop('feed-fetcher', () => fetcher.close());
      const flows: FlowContext = {
        db: createDb(ctx.pool, {}),
        logger: ctx.logger,
        sync: settings.enabled
          ? { enabled: true, reason: null }
          : { enabled: false, reason: settings.reason },
        google,
        queue,
        webhookUrl: address ?? null,
        channelTtlSeconds: options.channelTtlSeconds ?? 7 * 24 * 3600,
        now: options.now ?? (() => new Date()),
        metrics: createCalendarMetrics(ctx.metrics.registry, ctx.pool),
        fetchItem: itemFetcher(ctx.broker, 5000),
        feeds: {
          fetcher,
          queue: new FeedQueue(ctx.jobs),
          horizonDays: feedOptions.horizonDays,
          maxEvents: feedOptions.maxEvents,
          leaseSeconds: Math.ceil(feedOptions.timeoutMs / 1000) * 2 + 30,
        },
      };
      const worker = new SyncWorker(ctx.jobs, queue, ctx.logger, {
        concurrency: 8,
        renewEveryMs: options.renewEveryMs ?? 3600_000,
        pollEveryMs: options.pollEveryMs ?? ctx.cfg.CALENDAR_POLL_SECONDS * 1000,
      });
      await worker.start(flows);
      const feedWorker = new FeedWorker(ctx.jobs, ctx.logger, {
        concurrency: 4,
        repairEveryMs: feedOptions.repairEveryMs,
      });
      await feedWorker.start(flows);
      ctx.lifecycle.onStop('feed-repair-watchdog', () => feedWorker.stop());
      await consumeEntryEvents(ctx.broker, ctx.pool, flows);
      return { routes: calendarRoutes(flows) };
    },
  });
}

export const calendarService = defineCalendarService();
