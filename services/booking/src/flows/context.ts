/** What every booking flow works with: the database, the broker's RPC, the payment provider, the clock. */
import type { Db } from '@midas/db';
import type { Logger } from '@midas/observability';
import type { InFlightClaims, Principal } from '@midas/http';
import type { PaymentProvider } from '../payments/payment-provider';
import type { PaymentProviders } from '../payments/payment-providers';
import type { BookingRow } from '../db/schema';
import type { ItemCatalog } from './item-catalog';
import type { Rpc } from './rpc';

export type { Rpc } from './rpc';

/**
 * Time-driven work that follows a confirmed booking (reminders, the no-show check, automatic
 * completion) belongs to the scheduler; it plugs in here and the flows call it at the right moments.
 */
export interface LifecycleJobs {
  /** On confirmation: the booking's first jobs. */
  scheduleLifecycleJobs(booking: BookingRow): Promise<void>;
  /** After its dates changed: its jobs at the new moments. */
  moveLifecycleJobs(booking: BookingRow): Promise<void>;
  cancelLifecycleJobs(bookingId: string): Promise<void>;
}

/** Asks for confirmed bookings without a concierge to be offered the assignment rule again (capacity may have appeared). */
export interface AssignmentNudge {
  nudge(why: string): Promise<void>;
}

/** How refunds the provider failed are retried (REFUND_MAX_ATTEMPTS; the backoff of the refund repair sweep). */
export interface RefundRetry {
  /** Failed attempts after which a refund is dead-lettered. */
  maxAttempts: number;
  /** Wait after the first failed attempt, doubled after each next one up to the max (ms). */
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_REFUND_RETRY: RefundRetry = { maxAttempts: 5, baseMs: 30_000, maxMs: 3_600_000 };

export interface FlowContext {
  db: Db;
  rpc: Rpc;
  /** Every provider offered; a stored payment goes to the one it names (`providerOf`). */
  payments: PaymentProviders;
  items: ItemCatalog;
  logger: Logger;
  now: () => Date;
  rpcTimeoutMs: number;
  lifecycleJobs?: LifecycleJobs;
  assignments?: AssignmentNudge;
  /** How long a change that raises the price waits for its difference (HOLD_TTL_SECONDS; default 900). */
  changeTtlSeconds?: number;
  /** Retries of refunds the provider failed (default DEFAULT_REFUND_RETRY). */
  refundRetry?: RefundRetry;
  /** The server secret guest access tokens are derived from (unset: random tokens). */
  tokenSecret?: string;
  /** How long before the start a security deposit is authorised (DEPOSIT_AUTH_LEAD_HOURS; default 48). */
  depositLeadHours?: number;
  /** Redis claims of Idempotency-Keys in flight; without them each key costs transactions of its own. */
  claims?: InFlightClaims;
}

/** Who asks, as the HTTP edge saw them, plus the guest's access token when one was given. */
export interface Caller {
  principal: Principal;
  accessToken?: string;
  /** The client's address as the gateway established it; guests' holds are capped by it. */
  clientIp?: string;
}

/** Who did something, as recorded in history: a role and, for signed-in callers, their subject. */
export interface Actor {
  role: Principal['role'] | 'system';
  id?: string;
}

export const SYSTEM: Actor = { role: 'system' };

export function actorOf(caller: Caller): Actor {
  return caller.principal.sub
    ? { role: caller.principal.role, id: caller.principal.sub }
    : { role: caller.principal.role };
}

/** The provider a stored payment (or a booking's `paymentProvider`) belongs to. */
export function providerOf(
  deps: Pick<FlowContext, 'payments'>,
  owner: { provider: string },
): PaymentProvider {
  return deps.payments.get(owner.provider);
}
