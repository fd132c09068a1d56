/**
 * Confirmed bookings per second end to end, next to the raw INSERT rate of the same PostgreSQL
 * in the same run. Each booking goes through the gateway: POST /v1/bookings (hold and quote over
 * RabbitMQ RPC, stored with its outbox event, local payment started), then the local payment
 * confirm (availability confirms the slot, the booking is confirmed and a concierge assigned).
 * The clock stops when every outbox event of the run has been published with confirms.
 * All six services (gateway, availability, pricing, booking, notification with a local SMTP
 * server, calendar) each run in their own process, as deployed, each service on a database of
 * its own (so PostgreSQL's counters say which service commits what), with a RabbitMQ vhost and a
 * Redis of the run's own, so that the servers' counters (commits, rows written, messages
 * published, Redis commands) count the run alone (./counters.ts).
 *
 *   npm run build && node --import tsx bench/booking/run.ts
 *   (BENCH_SECONDS=15, BENCH_CONCURRENCY=16; BENCH_OTEL=on keeps tracing enabled in the services)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Pool } from 'pg';
import { SMTPServer } from 'smtp-server';
import { AMQP_URL, BASE_DATABASE_URL, createTestDatabase, signToken, uniqueName } from '@midas/testing';
import { countDelta, pgDelta, readPg, startBrokerCounter, startRedis, type PgCounts } from './counters';

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
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} was not ready at ${url} within 240 s`);
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
function cpuByProcess(children: Map<string, ChildProcess>, ownRedis?: number): Map<string, number> {
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
  // The run's own Redis; the shared one serves other users.
  if (ownRedis) add('redis', ticks(ownRedis));
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

const SERVICES = ['availability', 'pricing', 'booking', 'notification', 'calendar', 'gateway'] as const;
type Service = (typeof SERVICES)[number];
/** The services with a database; each gets its own, so commits are counted per service. */
const STORED = ['availability', 'pricing', 'booking', 'notification', 'calendar'] as const;
type Stored = (typeof STORED)[number];
const PORT_VARIABLE: Record<Service, string> = {
  availability: 'AVAILABILITY_PORT',
  pricing: 'PRICING_PORT',
  booking: 'BOOKING_PORT',
  notification: 'NOTIFICATION_PORT',
  calendar: 'CALENDAR_PORT',
  gateway: 'GATEWAY_PORT',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A local SMTP server accepting (and dropping) every message, as a relay would. */
async function startSmtpSink(): Promise<{ url: string; accepted: () => number; close: () => Promise<void> }> {
  let accepted = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        accepted++;
        callback(null, `Ok: queued as BENCH${accepted}`);
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted: () => accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function main(): Promise<void> {
  const db = await createTestDatabase();
  const dbs = Object.fromEntries(
    await Promise.all(STORED.map(async (s) => [s, await createTestDatabase()] as const)),
  ) as Record<Stored, Awaited<ReturnType<typeof createTestDatabase>>>;
  if (process.env.BENCH_LOG_STATEMENTS === '1') {
    const admin = new Pool({ connectionString: db.url, max: 1 });
    for (const s of STORED) await admin.query(`ALTER DATABASE "${dbs[s].name}" SET log_statement = 'all'`);
    await admin.end();
    process.stdout.write(`logging statements: ${STORED.map((s) => `${s}=${dbs[s].name}`).join(' ')}\n`);
  }
  const namespace = `${uniqueName('bench')}-`;
  const pool = new Pool({ connectionString: db.url, max: CONCURRENCY });
  const pools = Object.fromEntries(
    STORED.map((s) => [s, new Pool({ connectionString: dbs[s].url, max: 1 })] as const),
  ) as Record<Stored, Pool>;
  const readAll = async (): Promise<Map<Stored, PgCounts>> =>
    new Map(await Promise.all(STORED.map(async (s) => [s, await readPg(stats, dbs[s].name)] as const)));
  // Statistics are read from another database, so reading them adds no commit to the bench's.
  const stats = new Pool({
    connectionString: BASE_DATABASE_URL.replace(/\/[^/?]*(\?|$)/, '/postgres$1'),
    max: 1,
  });
  const children: ChildProcess[] = [];
  const named = new Map<string, ChildProcess>();
  const redis = await startRedis(await freePort());
  const broker = await startBrokerCounter(AMQP_URL, namespace.slice(0, -1));
  const smtp = await startSmtpSink();
  // Queries this bench makes on the services' databases while counting, taken out of the figures.
  const ownQueries = new Map<Stored, number>(STORED.map((s) => [s, 0]));
  const ownQuery = async (service: Stored, text: string): Promise<Record<string, string>[]> => {
    ownQueries.set(service, ownQueries.get(service)! + 1);
    return (await pools[service].query<Record<string, string>>(text)).rows;
  };
  try {
    process.stdout.write(`raw INSERT baseline: ${SECONDS} s, ${CONCURRENCY} clients...\n`);
    const insertTps = await rawInsertTps(pool);

    const ports = Object.fromEntries(
      await Promise.all(SERVICES.map(async (s) => [s, await freePort()] as const)),
    ) as Record<Service, number>;
    const env: Record<string, string> = {
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      REDIS_URL: redis.url,
      AMQP_URL: broker.url,
      SMTP_URL: smtp.url,
      MIDAS_NAMESPACE: namespace,
      RATE_LIMIT_GUEST_PER_MIN: '0',
      MAX_ACTIVE_HOLDS_PER_HOLDER: '0',
      RATE_LIMIT_USER_PER_MIN: '0',
      RATE_LIMIT_HOLDS_PER_MIN: '0',
      ...Object.fromEntries(SERVICES.map((s) => [PORT_VARIABLE[s], String(ports[s])])),
      ...(process.env.BENCH_OTEL === 'on' ? {} : { OTEL_SDK_DISABLED: 'true' }),
    };
    // One after the other: each migrates its own schema on start.
    for (const name of SERVICES) {
      const child = start(name, `services/${name}/dist/main.js`, {
        ...env,
        DATABASE_URL: name === 'gateway' ? db.url : dbs[name].url,
      });
      children.push(child);
      named.set(name, child);
      await waitReady(
        `http://127.0.0.1:${ports[name]}/${name === 'gateway' ? 'healthz' : 'readyz'}`,
        child,
        name,
      );
    }
    const base = `http://127.0.0.1:${ports.gateway}`;

    const admin = await signToken({ role: 'admin', sub: 'bench-admin' });
    const root = await signToken({ role: 'super_admin', sub: 'bench-root' });
    const post = async (
      p: string,
      token: string | undefined,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const res = await fetch(`${base}${p}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
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
      await sleep(100);
    }

    // Everything the setup caused delivered and counted, then an idle window: what the services'
    // pollers cost with no booking, taken out of the run's figures.
    const unsent = async (service: Stored) => {
      const pending =
        service === 'notification'
          ? ` + (SELECT count(*) FROM notification.communications WHERE status = 'pending')`
          : '';
      const [row] = await ownQuery(
        service,
        `SELECT (SELECT count(*) FROM "${service}".outbox WHERE sent_at IS NULL)${pending} AS n`,
      );
      return Number(row!.n);
    };
    const quiet = async () => {
      for (let stable = 0, last = -1; stable < 3;) {
        const pending = (await Promise.all(STORED.map(unsent))).reduce((a, b) => a + b, 0);
        const published = [...broker.snapshot().values()].reduce((a, b) => a + b, 0);
        const busy = pending + (await broker.pending());
        stable = busy === 0 && published === last ? stable + 1 : 0;
        last = published;
        await sleep(500);
      }
    };
    const settledPg = async () => {
      // An idle backend reports within 10 s.
      await sleep(11_000);
      return readAll();
    };
    // Per service: commits counted between two readings, less the bench's own queries.
    const commitsBetween = (
      after: Map<Stored, PgCounts>,
      before: Map<Stored, PgCounts>,
      own: Map<Stored, number>,
    ) =>
      new Map(
        STORED.map((s) => [
          s,
          pgDelta(after.get(s)!, before.get(s)!).commits - (ownQueries.get(s)! - own.get(s)!),
        ]),
      );
    await quiet();
    const idleStart = await settledPg();
    const idleRedisStart = await redis.commands();
    const idleStartedAt = Date.now();
    const idleQueriesBefore = new Map(ownQueries);
    await sleep(5_000);
    const idleCommits = commitsBetween(await readAll(), idleStart, idleQueriesBefore);
    const idleRedis = countDelta(await redis.commands(), idleRedisStart);
    const idleSeconds = (Date.now() - idleStartedAt) / 1000;
    const idlePerSecond = new Map(STORED.map((s) => [s, Math.max(0, idleCommits.get(s)! / idleSeconds)]));
    const idleCommitsPerSecond = [...idlePerSecond.values()].reduce((a, b) => a + b, 0);
    const idleRedisPerSecond = Math.max(
      0,
      ([...idleRedis.values()].reduce((a, b) => a + b, 0) - 1) / idleSeconds,
    );

    const customers = await Promise.all(
      // With an email claim each booking has the guest's address, so the confirmation mail is
      // sent (a customer without one is a `notification.failed` per booking, not the healthy path).
      Array.from({ length: CONCURRENCY }, (_, i) =>
        signToken({
          role: 'customer',
          sub: `bench-customer-${i}`,
          email: `customer-${i}@bench.test`,
          name: `Customer ${i}`,
        }),
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
    const pgBefore = await readAll();
    const queriesBefore = new Map(ownQueries);
    const messagesBefore = broker.snapshot();
    const redisBefore = await redis.commands();
    const cpuBefore = cpuByProcess(named, redis.pid);
    const started = Date.now();
    const deadline = started + SECONDS * 1000;
    await Promise.all(
      customers.map(async (token, worker) => {
        // Each worker books its own items on successive days, so no two bookings compete for a slot.
        for (let n = 0; Date.now() < deadline; n++) {
          const item = items[(worker + n * CONCURRENCY) % ITEMS]!;
          const day = firstDay + (Math.floor((worker + n * CONCURRENCY) / ITEMS) * 2 + 0) * dayMs;
          const t0 = performance.now();
          // As a client that retries safely does: every create carries its own Idempotency-Key.
          const created = await post(
            '/v1/bookings',
            token,
            {
              itemId: item,
              start: new Date(day + 10 * 3_600_000).toISOString(),
              end: new Date(day + 34 * 3_600_000).toISOString(),
            },
            { 'idempotency-key': randomUUID() },
          );
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
      if ((await unsent('booking')) === 0) break;
      await sleep(20);
    }
    const elapsed = (Date.now() - started) / 1000;
    const cpuAfter = cpuByProcess(named, redis.pid);
    // Then until notification and calendar have consumed it all and mail is sent, for the counts.
    await quiet();
    const countedSeconds = (Date.now() - started) / 1000;
    const messages = countDelta(broker.snapshot(), messagesBefore);
    const redisCommands = countDelta(await redis.commands(), redisBefore);
    redisCommands.set('info', (redisCommands.get('info') ?? 0) - 1);
    const pgAfter = await settledPg();
    const pgRun = STORED.map((s) => pgDelta(pgAfter.get(s)!, pgBefore.get(s)!)).reduce((a, b) => ({
      commits: a.commits + b.commits,
      rowsWritten: a.rowsWritten + b.rowsWritten,
      inserted: a.inserted + b.inserted,
      updated: a.updated + b.updated,
      deleted: a.deleted + b.deleted,
    }));
    const runCommits = commitsBetween(pgAfter, pgBefore, queriesBefore);
    const serviceCommits = new Map(
      STORED.map((s) => [s, runCommits.get(s)! - idlePerSecond.get(s)! * countedSeconds] as const),
    );
    const pollerCommits = idleCommitsPerSecond * countedSeconds;
    const pollerRedis = idleRedisPerSecond * countedSeconds;
    const commits = [...serviceCommits.values()].reduce((a, b) => a + b, 0);

    const perSecond = confirmed / elapsed;
    createMs.sort((a, b) => a - b);
    const ratio = perSecond / insertTps;
    const per = (n: number) => (n / Math.max(1, confirmed)).toFixed(1);
    const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    const breakdown = (m: Map<string, number>, top = 12) =>
      [...m]
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([k, n]) => `${k.replace(namespace, '')} ${per(n)}`)
        .join(', ');
    process.stdout.write(
      [
        '',
        `raw INSERT TPS (${CONCURRENCY} clients)        ${insertTps.toFixed(0)}`,
        `confirmed bookings/s end to end          ${perSecond.toFixed(1)}  (${confirmed} confirmed, ${failed} failed, ${elapsed.toFixed(1)} s incl. event delivery)`,
        `create p50 / p99                         ${percentile(createMs, 50).toFixed(1)} ms / ${percentile(createMs, 99).toFixed(1)} ms`,
        `ratio to raw INSERT TPS                  ${ratio.toFixed(4)}  (target >= 0.008: ${ratio >= 0.008 ? 'met' : 'not met'})`,
        '',
        `per confirmed booking, all six services, until every event is consumed and mail sent (${countedSeconds.toFixed(1)} s):`,
        `  PostgreSQL commits                     ${per(commits)}  (${per(pgRun.commits)} counted, less ${per(pollerCommits)} of idle polling at ${idleCommitsPerSecond.toFixed(1)}/s and the bench's own reads)`,
        `    by service                           ${breakdown(serviceCommits)}`,
        `  PostgreSQL rows written                ${per(pgRun.rowsWritten)}  (inserted ${per(pgRun.inserted)}, updated ${per(pgRun.updated)}, deleted ${per(pgRun.deleted)})`,
        `  RabbitMQ messages published            ${per(sum(messages))}  (${breakdown(messages, 20)})`,
        `  Redis commands                         ${per(sum(redisCommands) - pollerRedis)}  (${per(sum(redisCommands))} counted, less ${per(pollerRedis)} of idle polling at ${idleRedisPerSecond.toFixed(1)}/s; ${breakdown(redisCommands)})`,
        `  mail accepted by the SMTP server       ${per(smtp.accepted())}`,
        '',
      ].join('\n'),
    );
    // Where the machine's CPU went: ms per confirmed booking, by process (PostgreSQL's backends
    // and RabbitMQ include other users of this machine, if any).
    const perBooking = [...cpuAfter]
      .map(([name, ms]) => [name, (ms - (cpuBefore.get(name) ?? 0)) / Math.max(1, confirmed)] as const)
      .sort((a, b) => b[1] - a[1]);
    if (perBooking.length > 0) {
      const total = perBooking.reduce((acc, [, ms]) => acc + ms, 0);
      process.stdout.write(
        `CPU per confirmed booking: ${total.toFixed(1)} ms (${perBooking.map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join(', ')})\n` +
          `at that cost the machine's ${await cpuCount()} cores could confirm at most ${((1000 * (await cpuCount())) / total).toFixed(0)} bookings/s\n`,
      );
    }
  } finally {
    for (const child of children.reverse()) await stop(child);
    await pool.end();
    for (const p of Object.values(pools)) await p.end();
    await stats.end();
    await broker.close();
    await redis.stop();
    await smtp.close();
    await db.drop();
    for (const d of Object.values(dbs)) await d.drop();
  }
}

async function cpuCount(): Promise<number> {
  const os = await import('node:os');
  return os.availableParallelism();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`booking benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
