/**
 * Availability, pricing, booking and the gateway started in-process against the real Postgres,
 * Redis and RabbitMQ, on one test database and namespace; plus small factories for the tests.
 */
import { availabilityRpc, bookingRpc, pricingRpc } from '@midas/contracts';
import { topologyNames } from '@midas/messaging';
import { startService, type RunningService, type StartOptions } from '@midas/runtime';
import {
  bearer,
  createTestEnv,
  deleteQueues,
  eventually,
  signToken,
  withDeadLetters,
  type TestEnv,
} from '@midas/testing';
import { startGateway, type RunningGateway } from '../../gateway/src/gateway';
import { defineAvailabilityService } from '../../availability/src/service';
import { pricingService } from '../../pricing/src/service';
import { defineBookingService, type BookingOptions } from '../src/service';

export interface Stack {
  env: TestEnv;
  booking: RunningService;
  base: string;
  stop: () => Promise<void>;
}

function queuesOf(namespace: string): string[] {
  const names = topologyNames(namespace);
  const consumers = [
    names.consumerQueue('availability', 'booking-events'),
    names.consumerQueue('pricing', 'item-events'),
    names.consumerQueue('booking', 'events'),
  ];
  const rpc = [
    ...Object.values(availabilityRpc),
    ...Object.values(pricingRpc),
    ...Object.values(bookingRpc),
  ].map((m) => names.rpcQueue(m.method));
  return [...withDeadLetters(consumers), ...rpc];
}

export async function startStack(
  overrides: Record<string, string> = {},
  bookingOptions: BookingOptions = {},
  /** Where booking's log lines go instead of stdout, for tests that read them. */
  bookingLog?: StartOptions['logDestination'],
): Promise<Stack> {
  const env = await createTestEnv({
    RATE_LIMIT_GUEST_PER_MIN: '0',
    RATE_LIMIT_USER_PER_MIN: '0',
    RATE_LIMIT_HOLDS_PER_MIN: '0',
    ...overrides,
  });
  const availability = await startService(defineAvailabilityService(), env.cfg, { port: 0 });
  const pricing = await startService(pricingService, env.cfg, { port: 0 });
  const booking = await startService(defineBookingService(bookingOptions), env.cfg, {
    port: 0,
    logDestination: bookingLog,
  });
  const gateway: RunningGateway = await startGateway(
    {
      ...env.cfg,
      AVAILABILITY_URL: `http://127.0.0.1:${availability.port}`,
      PRICING_URL: `http://127.0.0.1:${pricing.port}`,
      BOOKING_URL: `http://127.0.0.1:${booking.port}`,
    },
    { port: 0 },
  );
  return {
    env,
    booking,
    base: `http://127.0.0.1:${gateway.port}`,
    stop: async () => {
      await gateway.stop();
      await booking.stop();
      await pricing.stop();
      await availability.stop();
      await deleteQueues(env.cfg.AMQP_URL, queuesOf(env.namespace));
      await env.cleanup();
    },
  };
}

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** One JSON call through the gateway. */
export async function call<T = Record<string, any>>( // eslint-disable-line @typescript-eslint/no-explicit-any
  stack: Stack,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const res = await fetch(`${stack.base}${path}`, {
    method,
    headers: {
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.token ? bearer(opts.token) : {}),
      ...opts.headers,
    },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}

export const token = signToken;

/** An item through availability's API, then waited for until pricing can quote it. */
export async function createItem(
  stack: Stack,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; location: string; type: string }> {
  const admin = await signToken({ role: 'admin', sub: 'admin-items' });
  const res = await call(stack, 'POST', '/v1/items', {
    token: admin,
    body: {
      type: 'car',
      name: `Test car ${Math.random().toString(36).slice(2, 8)}`,
      location: 'monaco',
      timezone: 'Europe/Monaco',
      currency: 'EUR',
      rate: { unit: 'day', amount: 100_000 },
      minNoticeMinutes: 0,
      ...overrides,
    },
  });
  if (res.status !== 201) throw new Error(`item not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; location: string; type: string };
}

/** An instant `days` days from now at the given UTC time. */
export function at(days: number, hhmm = '10:00'): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  const [h, m] = hhmm.split(':').map(Number);
  d.setUTCHours(h!, m!, 0, 0);
  return d.toISOString();
}

export async function addConcierge(stack: Stack, id: string, location: string, capacity = 10): Promise<void> {
  const res = await call(stack, 'POST', '/v1/staff/concierges', {
    token: await signToken({ role: 'super_admin', sub: 'root' }),
    body: { id, name: `Concierge ${id}`, email: `${id}@midas.test`, location, capacity },
  });
  if (res.status !== 201) throw new Error(`concierge not created: ${res.status} ${JSON.stringify(res.body)}`);
}

export const guest = { name: 'Grace Guest', email: 'grace@example.com', phone: '+33 6 12 34 56 78' };

export { eventually };
