/**
 * Stripe webhook handling in the booking service, next to a bare signature-checking express app
 * measured in the same run:
 * - bare: raw body + stripe.webhooks.constructEvent + answer (the ceiling of any webhook route);
 * - duplicates: a delivery already handled (signature, inbox look-up, 200), the common case of
 *   Stripe's at-least-once delivery;
 * - first deliveries: payment_intent.succeeded for distinct paid bookings, each re-fetched from
 *   the Stripe stand-in and confirmed (availability RPC, booking row, outbox) before the answer.
 * Availability, pricing and booking run in their own processes from dist/, as deployed; the
 * Stripe stand-in (test/support/fake-stripe.ts) runs in this process.
 *
 *   npm run build && node --import tsx bench/payments/webhooks.ts
 *   (BENCH_SECONDS=10, BENCH_CONCURRENCY=16, BENCH_BOOKINGS=300)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import {
  AMQP_URL,
  clearBrokerNamespace,
  clearRedisNamespace,
  createTestDatabase,
  REDIS_URL,
  signToken,
  uniqueName,
} from '@midas/testing';
import {
  FakeStripe,
  TEST_SECRET_KEY,
  TEST_WEBHOOK_SECRET,
  type StripeEventBody,
} from '../../services/booking/test/support/fake-stripe';

const SECONDS = Math.min(60, Math.max(2, Number(process.env.BENCH_SECONDS ?? 10)));
const CONCURRENCY = Math.min(64, Math.max(1, Number(process.env.BENCH_CONCURRENCY ?? 16)));
const BOOKINGS = Math.min(2000, Math.max(10, Number(process.env.BENCH_BOOKINGS ?? 300)));
const ROOT = path.resolve(__dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function start(name: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  return child;
}

async function waitUntil(check: () => Promise<boolean>, what: string, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${what}: process exited with ${child.exitCode}`);
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} not ready within 90 s`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
}

/** Sends the same signed event from CONCURRENCY clients for SECONDS; returns req/s and p99. */
async function hammer(
  fake: FakeStripe,
  url: string,
  event: StripeEventBody,
): Promise<{ rate: number; p99: number; errors: number }> {
  const payload = JSON.stringify(event);
  const deadline = Date.now() + SECONDS * 1000;
  const ms: number[] = [];
  let errors = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) {
        const t0 = performance.now();
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': fake.signature(payload) },
          body: payload,
        });
        await res.arrayBuffer();
        ms.push(performance.now() - t0);
        if (res.status !== 200) errors++;
      }
    }),
  );
  ms.sort((a, b) => a - b);
  return { rate: ms.length / ((Date.now() - started) / 1000), p99: percentile(ms, 99), errors };
}

async function main(): Promise<void> {
  const db = await createTestDatabase();
  const namespace = `${uniqueName('benchpay')}-`;
  const fake = await new FakeStripe().start();
  const children: ChildProcess[] = [];
  try {
    const ports = {
      availability: await freePort(),
      pricing: await freePort(),
      booking: await freePort(),
      bare: await freePort(),
    };
    const env: Record<string, string> = {
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: db.url,
      REDIS_URL,
      AMQP_URL,
      MIDAS_NAMESPACE: namespace,
      RATE_LIMIT_GUEST_PER_MIN: '0',
      MAX_ACTIVE_HOLDS_PER_HOLDER: '0',
      RATE_LIMIT_USER_PER_MIN: '0',
      RATE_LIMIT_HOLDS_PER_MIN: '0',
      STRIPE_SECRET_KEY: TEST_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      STRIPE_API_BASE: fake.url,
      AVAILABILITY_PORT: String(ports.availability),
      PRICING_PORT: String(ports.pricing),
      BOOKING_PORT: String(ports.booking),
      OTEL_SDK_DISABLED: 'true',
    };
    for (const name of ['availability', 'pricing', 'booking'] as const) {
      const child = start(name, [`services/${name}/dist/main.js`], env);
      children.push(child);
      await waitUntil(async () => (await fetch(`http://127.0.0.1:${ports[name]}/readyz`)).ok, name, child);
    }
    const bare = start('bare', ['--import', 'tsx', 'bench/payments/bare-webhook-server.ts'], {
      ...env,
      BARE_PORT: String(ports.bare),
    });
    children.push(bare);
    const bareUrl = `http://127.0.0.1:${ports.bare}/webhook`;
    const probe = JSON.stringify(fake.event('ping', { id: 'x' }));
    await waitUntil(
      async () =>
        (
          await fetch(bareUrl, {
            method: 'POST',
            body: probe,
            headers: { 'stripe-signature': fake.signature(probe) },
          })
        ).ok,
      'bare server',
      bare,
    );

    const booking = `http://127.0.0.1:${ports.booking}`;
    const webhookUrl = `${booking}/v1/payments/stripe/webhook`;
    const admin = await signToken({ role: 'admin', sub: 'bench-admin' });
    const item = (await (
      await fetch(`http://127.0.0.1:${ports.availability}/v1/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({
          type: 'car',
          name: 'Bench car',
          location: 'monaco',
          timezone: 'Europe/Monaco',
          currency: 'EUR',
          rate: { unit: 'day', amount: 100_000 },
          minNoticeMinutes: 0,
        }),
      })
    ).json()) as { id: string };
    const customer = await signToken({ role: 'customer', sub: 'bench-customer' });
    const dayMs = 86_400_000;
    const firstDay = Math.ceil(Date.now() / dayMs) * dayMs + 2 * dayMs;
    const book = (i: number) =>
      fetch(`${booking}/v1/bookings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${customer}` },
        body: JSON.stringify({
          itemId: item.id,
          start: new Date(firstDay + i * dayMs).toISOString(),
          end: new Date(firstDay + i * dayMs + 12 * 3_600_000).toISOString(),
        }),
      });
    await waitUntil(async () => (await book(-1)).status === 201, 'booking (pricing learns the item)');

    process.stdout.write(`creating ${BOOKINGS} bookings with their PaymentIntents...\n`);
    const ids: string[] = [];
    for (let i = 0; i < BOOKINGS; i += CONCURRENCY) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(CONCURRENCY, BOOKINGS - i) }, (_, k) => book(i + k)),
      );
      for (const res of batch) {
        if (res.status !== 201) throw new Error(`booking: ${res.status} ${await res.text()}`);
        ids.push(((await res.json()) as { id: string }).id);
      }
    }
    const events = ids.map((id) => {
      const pi = fake.intentFor(id)!;
      fake.pay(pi.id);
      return fake.event('payment_intent.succeeded', pi);
    });

    process.stdout.write(`bare signature check: ${SECONDS} s, ${CONCURRENCY} clients...\n`);
    const bareRun = await hammer(fake, bareUrl, events[0]!);

    process.stdout.write(
      `first deliveries: ${BOOKINGS} distinct succeeded events, ${CONCURRENCY} clients...\n`,
    );
    let next = 0;
    let errors = 0;
    const firstMs: number[] = [];
    const firstStarted = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < events.length; i = next++) {
          const t0 = performance.now();
          const res = await fake.deliver(webhookUrl, events[i]!);
          firstMs.push(performance.now() - t0);
          if (res.status !== 200 || res.body.duplicate) errors++;
        }
      }),
    );
    const firstRate = BOOKINGS / ((Date.now() - firstStarted) / 1000);
    firstMs.sort((a, b) => a - b);

    process.stdout.write(`duplicate deliveries: ${SECONDS} s, ${CONCURRENCY} clients...\n`);
    const dupRun = await hammer(fake, webhookUrl, events[0]!);

    process.stdout.write(
      [
        '',
        `bare signature check (express + constructEvent)  ${bareRun.rate.toFixed(0)} req/s, p99 ${bareRun.p99.toFixed(1)} ms`,
        `duplicate deliveries (booking)                   ${dupRun.rate.toFixed(0)} req/s, p99 ${dupRun.p99.toFixed(1)} ms, ratio to bare ${(dupRun.rate / bareRun.rate).toFixed(3)}${dupRun.errors ? `, ${dupRun.errors} errors` : ''}`,
        `first deliveries, confirmed (booking)            ${firstRate.toFixed(1)} bookings/s, p50 ${percentile(firstMs, 50).toFixed(1)} ms, p99 ${percentile(firstMs, 99).toFixed(1)} ms, ratio to bare ${(firstRate / bareRun.rate).toFixed(4)}${errors ? `, ${errors} errors` : ''}`,
        '',
      ].join('\n'),
    );
  } finally {
    for (const child of children.reverse()) await stop(child);
    await fake.stop();
    await db.drop();
    await clearRedisNamespace(namespace).catch(() => undefined);
    await clearBrokerNamespace(namespace).catch(() => undefined);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
