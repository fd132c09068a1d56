/**
 * Confirmed bookings per second end to end, next to the raw INSERT rate of the same PostgreSQL
 * in the same run. Each booking goes through the gateway: POST /v1/bookings (hold and quote over
 * RabbitMQ RPC, stored with its outbox event, local payment started), then the local payment
 * confirm (availability confirms the slot, the booking is confirmed and a concierge assigned).
 * The clock stops when every outbox event of the run has been published with confirms.
 * Gateway, availability, pricing and booking each run in their own process, as deployed.
 *
 *   npm run build && node --import tsx bench/booking/run.ts
 *   (BENCH_SECONDS=15, BENCH_CONCURRENCY=16; BENCH_OTEL=on keeps tracing enabled in the services)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import amqp from 'amqplib';
import { Pool } from 'pg';
import { availabilityRpc, pricingRpc } from '@midas/contracts';
import { topologyNames } from '@midas/messaging';
import {
  AMQP_URL,
  clearRedisNamespace,
  createTestDatabase,
  REDIS_URL,
  signToken,
  uniqueName,
} from '@midas/testing';

const SECONDS = Math.min(120, Math.max(3, Number(process.env.BENCH_SECONDS ?? 15)));
const CONCURRENCY = Math.min(64, Math.max(1, Number(process.env.BENCH_CONCURRENCY ?? 16)));
const ITEMS = 64;
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

function start(name: string, script: string, env: Record<string, string>): ChildProcess {
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") goes to every service process.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  return child;
}

async function waitReady(url: string, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} was not ready at ${url} within 90 s`);
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

/**
 * CPU time (user + system, ms) so far of this bench, each service process, and the PostgreSQL,
 * RabbitMQ and Redis servers, read from /proc (Linux); empty elsewhere.
 */
function cpuByProcess(children: Map<string, ChildProcess>): Map<string, number> {
  const out = new Map<string, number>();
  const ticks = (pid: number | string): number | undefined => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // utime + stime + the reaped children's cutime + cstime, so that PostgreSQL backends which
      // exit during the run still count (through the postmaster). USER_HZ is 100 on Linux.
      const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number) as [
        number,
        number,
        number,
        number,
      ];
      return ((utime + stime + cutime + cstime) * 1000) / 100;
    } catch {
      return undefined;
    }
  };
  const add = (name: string, ms: number | undefined) => {
    if (ms !== undefined) out.set(name, (out.get(name) ?? 0) + ms);
  };
  add('bench client', ticks(process.pid));
  for (const [name, child] of children) if (child.pid) add(name, ticks(child.pid));
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return out;
  }
  for (const pid of pids) {
    let comm = '';
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm === 'postgres') add('postgresql', ticks(pid));
    else if (comm === 'beam.smp') add('rabbitmq', ticks(pid));
    else if (comm === 'redis-server') add('redis', ticks(pid));
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Single-row autocommit INSERTs from CONCURRENCY clients: the ceiling any write path on this database shares. */
async function rawInsertTps(pool: Pool): Promise<number> {
  await pool.query(`CREATE TABLE bench_raw (id uuid PRIMARY KEY, item_id uuid NOT NULL, start_at timestamptz NOT NULL,
    end_at timestamptz NOT NULL, status text NOT NULL, total bigint NOT NULL, data jsonb NOT NULL)`);
  const deadline = Date.now() + SECONDS * 1000;
  let count = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) {
        await pool.query(
          "INSERT INTO bench_raw VALUES ($1, $2, now(), now() + interval '1 day', 'pending_payment', 100000, $3)",
          [randomUUID(), randomUUID(), JSON.stringify({ lines: [{ code: 'base', amount: 100000 }] })],
        );
        count++;
      }
    }),
  );
  return count / ((Date.now() - started) / 1000);
}

async function main(): Promise<void> {
  const db = await createTestDatabase();
  const namespace = `${uniqueName('bench')}-`;
  const pool = new Pool({ connectionString: db.url, max: CONCURRENCY });
  const children: ChildProcess[] = [];
  const named = new Map<string, ChildProcess>();
  try {
    process.stdout.write(`raw INSERT baseline: ${SECONDS} s, ${CONCURRENCY} clients...\n`);
    const insertTps = await rawInsertTps(pool);

    const ports = {
      availability: await freePort(),
      pricing: await freePort(),
      booking: await freePort(),
      gateway: await freePort(),
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
      AVAILABILITY_PORT: String(ports.availability),
      PRICING_PORT: String(ports.pricing),
      BOOKING_PORT: String(ports.booking),
      GATEWAY_PORT: String(ports.gateway),
      ...(process.env.BENCH_OTEL === 'on' ? {} : { OTEL_SDK_DISABLED: 'true' }),
    };
    // One after the other: each migrates its own schema on start.
    for (const name of ['availability', 'pricing', 'booking'] as const) {
      const child = start(name, `services/${name}/dist/main.js`, env);
      children.push(child);
      named.set(name, child);
      await waitReady(`http://127.0.0.1:${ports[name]}/readyz`, child, name);
    }
    const gateway = start('gateway', 'services/gateway/dist/main.js', env);
    children.push(gateway);
    named.set('gateway', gateway);
    await waitReady(`http://127.0.0.1:${ports.gateway}/healthz`, gateway, 'gateway');
    const base = `http://127.0.0.1:${ports.gateway}`;

    const admin = await signToken({ role: 'admin', sub: 'bench-admin' });
    const root = await signToken({ role: 'super_admin', sub: 'bench-root' });
    const post = async (p: string, token: string | undefined, body?: unknown) => {
      const res = await fetch(`${base}${p}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const items: string[] = [];
    for (let i = 0; i < ITEMS; i++) {
      const res = await post('/v1/items', admin, {
        type: 'car',
        name: `Bench car ${i}`,
        location: i % 2 ? 'monaco' : 'paris',
        timezone: 'Europe/Paris',
        currency: 'EUR',
        rate: { unit: 'day', amount: 100_000 },
        minNoticeMinutes: 0,
      });
      if (res.status !== 201) throw new Error(`item: ${res.status} ${JSON.stringify(res.body)}`);
      items.push(res.body.id as string);
    }
    for (const [i, location] of ['monaco', 'monaco', 'paris', 'paris'].entries()) {
      const res = await post('/v1/staff/concierges', root, {
        id: `bench-concierge-${i}`,
        name: `Concierge ${i}`,
        email: `c${i}@bench.test`,
        location,
        capacity: 1000,
      });
      if (res.status !== 201) throw new Error(`concierge: ${res.status} ${JSON.stringify(res.body)}`);
    }
    // Pricing learns items from events; wait until it quotes the last one.
    for (let tries = 0; ; tries++) {
      const q = await post('/v1/quotes', undefined, {
        itemId: items[items.length - 1],
        start: new Date(Date.now() + 86_400_000).toISOString(),
        end: new Date(Date.now() + 2 * 86_400_000).toISOString(),
      });
      if (q.status === 200) break;
      if (tries > 100) throw new Error(`pricing never quoted: ${q.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    const customers = await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) =>
        signToken({ role: 'customer', sub: `bench-customer-${i}` }),
      ),
    );
    const createMs: number[] = [];
    let confirmed = 0;
    let failed = 0;
    const dayMs = 86_400_000;
    const firstDay = Math.ceil(Date.now() / dayMs) * dayMs + 2 * dayMs;
    process.stdout.write(
      `booking load: ${SECONDS} s, ${CONCURRENCY} concurrent customers, ${ITEMS} items...\n`,
    );
    const cpuBefore = cpuByProcess(named);
    const started = Date.now();
    const deadline = started + SECONDS * 1000;
    await Promise.all(
      customers.map(async (token, worker) => {
        // Each worker books its own items on successive days, so no two bookings compete for a slot.
        for (let n = 0; Date.now() < deadline; n++) {
          const item = items[(worker + n * CONCURRENCY) % ITEMS]!;
          const day = firstDay + (Math.floor((worker + n * CONCURRENCY) / ITEMS) * 2 + 0) * dayMs;
          const t0 = performance.now();
          const created = await post('/v1/bookings', token, {
            itemId: item,
            start: new Date(day + 10 * 3_600_000).toISOString(),
            end: new Date(day + 34 * 3_600_000).toISOString(),
          });
          createMs.push(performance.now() - t0);
          if (created.status !== 201) {
            failed++;
            if (failed <= 3)
              process.stderr.write(`create failed: ${created.status} ${JSON.stringify(created.body)}\n`);
            continue;
          }
          const paid = await post(`/v1/payments/local/${created.body.id as string}/confirm`, token);
          if (paid.status === 200 && ['confirmed', 'concierge_assigned'].includes(paid.body.status as string))
            confirmed++;
          else failed++;
        }
      }),
    );
    // Events delivered: every outbox row of the run published with publisher confirms.
    for (;;) {
      const { rows } = await pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM booking.outbox WHERE sent_at IS NULL',
      );
      if (Number(rows[0]!.n) === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const elapsed = (Date.now() - started) / 1000;
    const cpuAfter = cpuByProcess(named);
    const perSecond = confirmed / elapsed;
    createMs.sort((a, b) => a - b);
    const ratio = perSecond / insertTps;
    process.stdout.write(
      [
        '',
        `raw INSERT TPS (${CONCURRENCY} clients)        ${insertTps.toFixed(0)}`,
        `confirmed bookings/s end to end          ${perSecond.toFixed(1)}  (${confirmed} confirmed, ${failed} failed, ${elapsed.toFixed(1)} s incl. event delivery)`,
        `create p50 / p99                         ${percentile(createMs, 50).toFixed(1)} ms / ${percentile(createMs, 99).toFixed(1)} ms`,
        `ratio to raw INSERT TPS                  ${ratio.toFixed(4)}  (target >= 0.04: ${ratio >= 0.04 ? 'met' : 'not met'})`,
        '',
      ].join('\n'),
    );
    // Where the machine's CPU went: ms per confirmed booking, by process (PostgreSQL's backends,
    // RabbitMQ and Redis include other users of this machine, if any).
    const perBooking = [...cpuAfter]
      .map(([name, ms]) => [name, (ms - (cpuBefore.get(name) ?? 0)) / Math.max(1, confirmed)] as const)
      .sort((a, b) => b[1] - a[1]);
    if (perBooking.length > 0) {
      const total = perBooking.reduce((sum, [, ms]) => sum + ms, 0);
      process.stdout.write(
        `CPU per confirmed booking: ${total.toFixed(1)} ms (${perBooking.map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join(', ')})\n` +
          `at that cost the machine's ${await cpuCount()} cores could confirm at most ${((1000 * (await cpuCount())) / total).toFixed(0)} bookings/s\n`,
      );
    }
  } finally {
    for (const child of children.reverse()) await stop(child);
    await pool.end();
    await removeQueues(namespace);
    await clearRedisNamespace(namespace).catch(() => undefined);
    await db.drop();
  }
}

async function cpuCount(): Promise<number> {
  const os = await import('node:os');
  return os.availableParallelism();
}

async function removeQueues(namespace: string): Promise<void> {
  const names = topologyNames(namespace);
  const consumers = [
    names.consumerQueue('availability', 'booking-events'),
    names.consumerQueue('pricing', 'item-events'),
    names.consumerQueue('booking', 'events'),
  ];
  const queues = [
    ...consumers,
    ...consumers.map((q) => names.deadLetterQueue(q)),
    ...[...Object.values(availabilityRpc), ...Object.values(pricingRpc)].map((m) => names.rpcQueue(m.method)),
  ];
  const connection = await amqp.connect(AMQP_URL);
  try {
    for (const queue of queues) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    for (const exchange of [names.events, names.rpc, names.deadLetters])
      await channel.deleteExchange(exchange).catch(() => undefined);
    await channel.close().catch(() => undefined);
  } finally {
    await connection.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`booking benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
