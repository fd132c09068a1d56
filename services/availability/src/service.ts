/** Wiring of the availability service: HTTP routes, RPC methods, the booking and calendar event consumers and hold expiry. */
import { createDb } from '@midas/db';
import { defineService, type ServiceDefinition } from '@midas/runtime';
import { schema } from './db/schema';
import { seedDemoItems } from './db/seed';
import { consumeBookingEvents } from './events/consume/booking-consumer';
import { consumeCalendarEvents } from './events/consume/calendar-consumer';
import { createAvailabilityMetrics } from './flows/availability-metrics';
import type { FlowContext } from './flows/context';
import { httpRoutes } from './http/routes';
import { HoldExpiry } from './jobs/hold-expiry';
import { serveRpc } from './rpc/serve';

export interface AvailabilityOptions {
  /** How often lapsed holds are swept (default 10 s). */
  sweepEveryMs?: number;
  /** How often the sweep's BullMQ scheduler is re-registered, should Redis have lost it (default 60 s). */
  watchdogEveryMs?: number;
}

export function defineAvailabilityService(options: AvailabilityOptions = {}): ServiceDefinition {
  return defineService(__dirname, 'availability', {
    seed: seedDemoItems,
    async setup(ctx) {
      const expiry = new HoldExpiry(ctx.jobs, ctx.logger, {
        sweepEveryMs: options.sweepEveryMs ?? 10_000,
        watchdogEveryMs: options.watchdogEveryMs ?? 60_000,
      });
      const flows: FlowContext = {
        db: createDb(ctx.pool, schema),
        pool: ctx.pool,
        holdTtlSeconds: ctx.cfg.HOLD_TTL_SECONDS,
        maxActiveHoldsPerHolder: ctx.cfg.MAX_ACTIVE_HOLDS_PER_HOLDER,
        now: () => new Date(),
        scheduleExpiry: (hold) => expiry.schedule(hold),
        cancelExpiry: (hold) => expiry.cancel(hold),
        metrics: createAvailabilityMetrics(ctx.metrics.registry),
        tokenSecret: ctx.cfg.jwtSecret,
      };
      await expiry.start(flows);
      ctx.lifecycle.onStop('hold-expiry', () => expiry.stop());
      await serveRpc(ctx.broker, flows);
      await consumeBookingEvents(ctx.broker, ctx.pool, ctx.logger, flows.metrics);
      await consumeCalendarEvents(ctx.broker, ctx.pool, ctx.logger, flows.metrics);
      return { routes: httpRoutes(flows) };
    },
  });
}

export const availabilityService = defineAvailabilityService();
