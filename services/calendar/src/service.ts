/** Wiring of the calendar service: the entry consumer, Google sync (when configured), the sync queue and worker, HTTP. */
import path from 'node:path';
import { availabilityRpc, NotFound } from '@midas/contracts';
import { createDb } from '@midas/db';
import type { ServiceDefinition } from '@midas/runtime';
import { syncSettings } from './domain/sync-settings';
import { consumeEntryEvents } from './events/entry-consumer';
import { createCalendarMetrics } from './flows/calendar-metrics';
import type { CalendarContext } from './flows/context';
import { GoogleCalendar } from './google/google-calendar';
import { calendarRoutes } from './http/routes';
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
}

export function defineCalendarService(options: CalendarOptions = {}): ServiceDefinition {
  return {
    name: 'calendar',
    schema: 'calendar',
    migrationsFolder: path.resolve(__dirname, '../src/db/migrations'),
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
      const flows: CalendarContext = {
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
        fetchItem: async (itemId) => {
          try {
            return await ctx.broker.call(availabilityRpc.getItem, { itemId }, { timeoutMs: 5000 });
          } catch (err) {
            if (err instanceof NotFound) return undefined;
            throw err;
          }
        },
      };
      const worker = new SyncWorker(ctx.jobs, queue, ctx.logger, {
        concurrency: 8,
        renewEveryMs: options.renewEveryMs ?? 3600_000,
        pollEveryMs: options.pollEveryMs ?? ctx.cfg.CALENDAR_POLL_SECONDS * 1000,
      });
      await worker.start(flows);
      await consumeEntryEvents(ctx.broker, ctx.pool, flows);
      return { routes: calendarRoutes(flows) };
    },
  };
}

export const calendarService = defineCalendarService();
