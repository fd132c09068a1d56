/**
 * The booking stack with a payment provider's fake beside it, a pool to look at the booking
 * schema, and a broker to ask pricing.refund over RPC, so tests compare every refund with the
 * policy's own answer.
 */
import { Pool } from 'pg';
import { pricingRpc } from '@midas/contracts';
import { Broker } from '@midas/messaging';
import { brokerScope, connectBroker } from '@midas/testing';
import type { BookingOptions } from '../../src/service';
import { call, eventually, guest, startStack, type Stack } from '../harness';
import { FakePayPal, PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET } from './fake-paypal';
import { FakeStripe, TEST_SECRET_KEY, TEST_WEBHOOK_SECRET } from './fake-stripe';

/** Response bodies as the tests read them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export interface PaymentStack {
  stack: Stack;
  pool: Pool;
  broker: Broker;
  stop: () => Promise<void>;
}

export async function startPaymentStack(
  env: Record<string, string>,
  bookingOptions: BookingOptions = {},
): Promise<PaymentStack> {
  const stack = await startStack(env, bookingOptions);
  const pool = new Pool({ connectionString: stack.env.cfg.DATABASE_URL, max: 2 });
  const broker = await connectBroker(brokerScope(stack.env), 'booking');
  return {
    stack,
    pool,
    broker,
    stop: async () => {
      await broker.close();
      await pool.end();
      await stack.stop();
    },
  };
}

/** A payment stack with a provider's local stand-in, which `stop()` stops too. */
export interface ProviderStack<Fake> extends PaymentStack {
  fake: Fake;
  /** The provider's settings as booking reads them, for a process that must reach the same provider. */
  providerEnv: Record<string, string>;
  /** Where the provider posts its webhooks to booking, through the gateway. */
  webhookUrl: string;
}

async function withProvider<Fake extends { url: string; stop: () => Promise<void> }>(
  fake: Fake,
  provider: 'stripe' | 'paypal',
  providerEnv: Record<string, string>,
  env: Record<string, string>,
  bookingOptions: BookingOptions,
): Promise<ProviderStack<Fake>> {
  let ps: PaymentStack;
  try {
    ps = await startPaymentStack({ ...providerEnv, ...env }, bookingOptions);
  } catch (err) {
    await fake.stop();
    throw err;
  }
  return {
    ...ps,
    fake,
    providerEnv,
    webhookUrl: `${ps.stack.base}/v1/payments/${provider}/webhook`,
    stop: async () => {
      await ps.stop();
      await fake.stop();
    },
  };
}

/** The booking stack paying through Stripe's local stand-in; `env` adds or overrides settings. */
export async function startStripeStack(
  env: Record<string, string> = {},
  bookingOptions: BookingOptions = {},
): Promise<ProviderStack<FakeStripe>> {
  const fake = await new FakeStripe().start();
  const providerEnv = {
    STRIPE_SECRET_KEY: TEST_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    STRIPE_API_BASE: fake.url,
  };
  return withProvider(fake, 'stripe', providerEnv, env, bookingOptions);
}

/** The booking stack paying through PayPal's local stand-in; `env` adds or overrides settings. */
export async function startPayPalStack(
  env: Record<string, string> = {},
  bookingOptions: BookingOptions = {},
): Promise<ProviderStack<FakePayPal>> {
  const fake = await new FakePayPal().start();
  const providerEnv = { PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET, PAYPAL_API_BASE: fake.url };
  return withProvider(fake, 'paypal', providerEnv, env, bookingOptions);
}

/** What pricing's policy refunds for a cancellation of this booking now. */
export async function policyRefund(
  ps: PaymentStack,
  booking: { itemType: string; start: string; currency: string },
  paidAmount: number,
  opts: { forceMajeure?: boolean } = {},
): Promise<number> {
  const policy = await ps.broker.call(
    pricingRpc.refund,
    {
      itemType: booking.itemType as 'car',
      start: booking.start,
      cancelledAt: new Date().toISOString(),
      paidAmount,
      currency: booking.currency,
      forceMajeure: opts.forceMajeure ?? false,
      reason: 'cancellation',
    },
    { timeoutMs: 5000 },
  );
  return policy.amount;
}

/** A guest booking through the gateway; returns the created body with its access query string. */
export async function bookAsGuest(
  stack: Stack,
  body: { itemId: string; start: string; end: string },
  headers: Record<string, string> = {},
): Promise<{ id: string; q: string; body: Json }> {
  const created = await call(stack, 'POST', '/v1/bookings', { body: { ...body, guest }, headers });
  if (created.status !== 201)
    throw new Error(`booking not created: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  return {
    id,
    q: `?accessToken=${encodeURIComponent(created.body.accessToken as string)}`,
    body: created.body,
  };
}

export async function outboxCount(pool: Pool, type: string, bookingId: string): Promise<number> {
  const { rows } = await pool.query(
    "SELECT count(*)::int AS n FROM booking.outbox WHERE type = $1 AND data->>'bookingId' = $2",
    [type, bookingId],
  );
  return rows[0].n as number;
}

export async function outboxData(
  pool: Pool,
  type: string,
  bookingId: string,
): Promise<Record<string, unknown>[]> {
  const { rows } = await pool.query(
    "SELECT data FROM booking.outbox WHERE type = $1 AND data->>'bookingId' = $2 ORDER BY seq",
    [type, bookingId],
  );
  return rows.map((r) => r.data as Record<string, unknown>);
}

export async function waitForStatus(
  stack: Stack,
  id: string,
  q: string,
  status: string,
  timeoutMs = 20_000,
): Promise<Json> {
  let last: Record<string, unknown> = {};
  await eventually(
    async () => {
      last = (await call(stack, 'GET', `/v1/bookings/${id}${q}`)).body;
      return last.status === status;
    },
    timeoutMs,
    100,
  );
  return last;
}

/** A deterministic shuffle (seeded), so a failing order can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
