/** Wiring of the booking service: flows over the broker's RPC, the configured payment provider, consumers, the loyalty RPC and routes. */
import { createDb } from '@midas/db';
import { defineService, type ServiceDefinition } from '@midas/runtime';
import { consumeEvents } from './events/consume/consumers';
import type { FlowContext } from './flows/context';
import { seedDemoConcierges } from './db/seed';
import { ItemCatalog } from './flows/item-catalog';
import { paymentRawRoutes, paymentRoutes } from './http/payment-routes';
import { refundRoutes } from './http/refund-routes';
import { bookingRoutes } from './http/routes';
import { DEFAULT_SCHEDULER_OPTIONS, Scheduler, type SchedulerOptions } from './jobs/scheduler';
import { registerBookingGauges } from './metrics/booking-gauges';
import { registerPaymentGauges } from './metrics/payment-gauges';
import type { PaymentProvider } from './payments/payment-provider';
import { PaymentProviders } from './payments/payment-providers';
import { selectPaymentProviders } from './payments/select-provider';
import { serveBookingRpc } from './rpc/booking-rpc';

export interface BookingOptions {
  /** The payment provider(s); by default those the configuration selects (`local` without keys). */
  payments?: PaymentProvider | PaymentProviders;
  /** How long flows wait for availability and pricing (default 5 s). */
  rpcTimeoutMs?: number;
  /** Sweep periods and worker concurrency of the time-driven jobs (tests shorten the sweeps). */
  scheduler?: Partial<SchedulerOptions>;
}

export function defineBookingService(options: BookingOptions = {}): ServiceDefinition {
  return defineService(__dirname, 'booking', {
    seed: seedDemoConcierges,
    async setup(ctx) {
      const db = createDb(ctx.pool, {});
      const rpcTimeoutMs = options.rpcTimeoutMs ?? 5000;
      const deps: FlowContext = {
        db,
        rpc: ctx.broker,
        payments: providersOf(options.payments) ?? selectPaymentProviders(ctx.cfg),
        items: new ItemCatalog(db, ctx.broker, rpcTimeoutMs),
        logger: ctx.logger,
        now: () => new Date(),
        rpcTimeoutMs,
        changeTtlSeconds: ctx.cfg.HOLD_TTL_SECONDS,
        refundRetry: {
          maxAttempts: ctx.cfg.REFUND_MAX_ATTEMPTS,
          baseMs: options.scheduler?.refundRetryBaseMs ?? DEFAULT_SCHEDULER_OPTIONS.refundRetryBaseMs,
          maxMs: options.scheduler?.refundRetryMaxMs ?? DEFAULT_SCHEDULER_OPTIONS.refundRetryMaxMs,
        },
        tokenSecret: ctx.cfg.jwtSecret,
        depositLeadHours: ctx.cfg.DEPOSIT_AUTH_LEAD_HOURS,
        claims: ctx.jobs.claims,
      };
      const scheduler = new Scheduler(ctx, options.scheduler, deps.now);
      deps.lifecycleJobs = scheduler.lifecycleJobs;
      deps.assignments = scheduler.assignments;
      await scheduler.start(deps);
      await consumeEvents(ctx.broker, ctx.pool, deps);
      await serveBookingRpc(ctx.broker, deps);
      registerBookingGauges(ctx.metrics, ctx.pool, ctx.cfg.UNASSIGNED_ALERT_HOURS);
      registerPaymentGauges(ctx.metrics, ctx.pool);
      const routes = bookingRoutes(deps);
      const payments = paymentRoutes(deps);
      const refunds = refundRoutes(deps);
      return {
        routes: (router) => {
          routes(router);
          payments(router);
          refunds(router);
        },
        rawRoutes: paymentRawRoutes(deps),
      };
    },
  });
}

function providersOf(given: BookingOptions['payments']): PaymentProviders | undefined {
  if (!given || given instanceof PaymentProviders) return given;
  return new PaymentProviders([given]);
}

export const bookingService = defineBookingService();

export { reconcilePaymentsSection, type SectionReport } from './reconciliation-section';
