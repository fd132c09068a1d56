/**
 * Availability throughput and p99 latency through the gateway, next to the ceilings measured in
 * the same run: a bare express app answering `SELECT 1`, and pgbench running the very SQL the
 * service runs. The gateways, the services and the bare app each run in their own process, as
 * deployed; autocannon drives them from this one. Every figure of the targets table comes from
 * the same run; BENCH_RUNS repeats the measurements on the same processes and data and prints
 * each figure's median.
 *
 *   npm run build && node --import tsx bench/availability/run.ts
 *   (BENCH_SECONDS=10 per scenario, BENCH_CONNECTIONS=20, BENCH_RUNS=1, BENCH_SAMPLER_ARG=0.1:
 *   the head-sampling ratio of the traced pair; BENCH_PROFILE=<dir> writes V8 CPU profiles of the
 *   service and gateway, untraced and traced, there)
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { Pool } from 'pg';
import { availabilityRpc } from '@midas/contracts';
import { topologyNames } from '@midas/messaging';
import {
  AMQP_URL,
  clearRedisNamespace,
  createTestDatabase,
  REDIS_URL,
  signToken,
  uniqueName,
} from '@midas/testing';
import { CHECK_SQL, SEARCH_BY_IDS_SQL } from '../../services/availability/src/db/occupations';

const SECONDS = Math.min(120, Math.max(2, Number(process.env.BENCH_SECONDS ?? 10)));
const RUNS = Math.min(9, Math.max(1, Number(process.env.BENCH_RUNS ?? 1)));
const SAMPLER_ARG = process.env.BENCH_SAMPLER_ARG ?? '0.1';
/** Distinct token holders for the rate-limited scenario: each stays far below its per-minute budget. */
const TOKEN_HOLDERS = 400;
const CONNECTIONS = Math.min(200, Math.max(1, Number(process.env.BENCH_CONNECTIONS ?? 20)));
const PG_CLIENTS = 10;
const ROOT = path.resolve(__dirname, '../..');
const ITEMS = 500;

interface Figures {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** pgbench running the same SQL, for the HTTP figures. */
  sql?: Figures;
  /** Read against the bare app without SQL (the gateway in front of it). */
  overBare?: boolean;
  /** CPU ms the serving node processes spent per request. */
  cpuMsPerRequest?: number;
}

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

async function waitFor(url: string, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not answer ${url} within 180 s`);
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

/** CPU time (user + system) a process has used so far, in ms, from /proc. */
function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Drives one scenario. `pids` are the server processes that serve it: their CPU time per request
 * is measured too, which holds up on a loaded machine where req/s mostly tells how much CPU the
 * scheduler happened to give each process.
 */
async function load(
  name: string,
  opts: autocannon.Options,
  pids: (number | undefined)[] = [],
): Promise<Figures> {
  // A short warm-up fills pools, prepared statements and JIT caches, so the measured run is steady state.
  await autocannon({ ...opts, connections: CONNECTIONS, duration: 2 });
  const before = pids.reduce<number>((n, pid) => n + cpuMs(pid), 0);
  const r = await autocannon({ connections: CONNECTIONS, ...opts, duration: SECONDS });
  const used = pids.reduce<number>((n, pid) => n + cpuMs(pid), 0) - before;
  return {
    name,
    requestsPerSecond: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
    cpuMsPerRequest: r.requests.total > 0 && pids.length ? used / r.requests.total : undefined,
  };
}

function pgbenchBinary(): string {
  try {
    return execFileSync('which', ['pgbench']).toString().trim();
  } catch {
    const base = '/usr/lib/postgresql';
    const versions = existsSync(base) ? readdirSync(base).sort().reverse() : [];
    for (const v of versions)
      if (existsSync(path.join(base, v, 'bin/pgbench'))) return path.join(base, v, 'bin/pgbench');
    throw new Error('pgbench not found; it ships with PostgreSQL');
  }
}

/**
 * Runs one SQL statement under pgbench (prepared, PG_CLIENTS clients) and reads tps and latency
 * percentiles from its per-transaction log. The statement keeps its `$n` parameters: each becomes
 * a pgbench variable given with `-D`, which pgbench's prepared mode binds as a parameter, so the
 * server plans and runs the very statement the service sends, not a literal variant of it.
 */
function pgbench(name: string, databaseUrl: string, statement: string, values: string[]): Figures {
  const dir = mkdtempSync(path.join(tmpdir(), 'midas-pgbench-'));
  try {
    const script = path.join(dir, 'script.sql');
    const text = statement.replace(/\$(\d+)/g, (_m, n: string) => `:p${n}`);
    writeFileSync(script, `${text.replace(/\s+/g, ' ').trim()};\n`);
    const out = execFileSync(
      pgbenchBinary(),
      [
        '-n',
        '-M',
        'prepared',
        '-c',
        String(PG_CLIENTS),
        '-j',
        '2',
        '-T',
        String(SECONDS),
        '-f',
        script,
        ...values.flatMap((v, i) => ['-D', `p${i + 1}=${v}`]),
        '-l',
        '--log-prefix',
        path.join(dir, 'log'),
        databaseUrl,
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    ).toString();
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? NaN);
    const latencies = readdirSync(dir)
      .filter((f) => f.startsWith('log'))
      .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').trim().split('\n'))
      .map((line) => Number(line.split(' ')[2]) / 1000)
      .sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
    return { name, requestsPerSecond: tps, p50: pct(0.5), p99: pct(0.99), errors: 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function seed(pool: Pool, windowStart: Date): Promise<string[]> {
  const types = ['car', 'yacht', 'jet', 'property'] as const;
  const ids: string[] = [];
  for (let i = 0; i < ITEMS; i++) {
    const id = randomUUID();
    ids.push(id);
    const type = types[i % types.length]!;
    await pool.query(
      `INSERT INTO availability.items (id, type, name, location, timezone, currency, rate_unit, rate_amount,
         buffer_minutes, min_notice_minutes, min_duration, max_duration)
       VALUES ($1, $2, $3, $4, 'Europe/Monaco', 'EUR', 'day', 100000, 120, 0, 'PT1H', 'P30D')`,
      [id, type, `Bench ${type} ${i}`, ['Monaco', 'Dubai', 'Aspen'][i % 3]],
    );
    // Three bookings per item around the measured window, so every answer has reasons to find.
    for (let b = 0; b < 3; b++) {
      const start = new Date(windowStart.getTime() + (b * 30 - 20 + (i % 7)) * 3600_000);
      const end = new Date(start.getTime() + 6 * 3600_000);
      await pool.query(
        `INSERT INTO availability.allocations (item_id, kind, ref, period, blocked)
         VALUES ($1, 'booking', $2, tstzrange($3, $4), tstzrange($3, $4 + interval '2 hours'))`,
        [id, randomUUID(), start, end],
      );
    }
  }
  return ids;
}

interface Row {
  key: string;
  label: string;
  figures: Figures[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

function report(rows: Row[], tracedBatches: number): void {
  console.log(
    `\n${SECONDS} s per scenario, ${RUNS} run(s), medians; HTTP: ${CONNECTIONS} connections (autocannon); SQL: pgbench, ${PG_CLIENTS} clients, prepared`,
  );
  console.log(`traced pair: OTEL_TRACES_SAMPLER=parentbased_traceidratio, ARG=${SAMPLER_ARG}\n`);
  console.log(
    'scenario'.padEnd(62),
    ...['req/s', 'p50 ms', 'p99 ms', 'errors', 'CPU ms/req'].map((c) => c.padStart(10)),
  );
  const cpu = new Map<string, number>();
  const rate = new Map<string, number>();
  const p99 = new Map<string, number>();
  for (const row of rows) {
    const rps = median(row.figures.map((f) => f.requestsPerSecond));
    rate.set(row.key, rps);
    p99.set(row.key, median(row.figures.map((f) => f.p99)));
    const cells = [
      rps.toFixed(0),
      median(row.figures.map((f) => f.p50)).toFixed(2),
      median(row.figures.map((f) => f.p99)).toFixed(2),
      String(row.figures.reduce((n, f) => n + f.errors, 0)),
    ];
    const cpus = row.figures.flatMap((f) => (f.cpuMsPerRequest === undefined ? [] : [f.cpuMsPerRequest]));
    if (cpus.length) cpu.set(row.key, median(cpus));
    cells.push(cpus.length ? median(cpus).toFixed(3) : '');
    console.log(row.label.padEnd(62), ...cells.map((c) => c.padStart(10)));
  }
  const ratio = (a: string, b: string) => rate.get(a)! / rate.get(b)!;
  const perRun = (a: string, b: string) => {
    const ra = rows.find((r) => r.key === a)!.figures;
    const rb = rows.find((r) => r.key === b)!.figures;
    return ra.map((f, i) => (f.requestsPerSecond / rb[i]!.requestsPerSecond).toFixed(2)).join(', ');
  };
  const targets: [string, string, number, string, (v: number) => boolean][] = [
    [
      'gateway in front of the bare app, of bare',
      'bareGateway/bare',
      ratio('bareGateway', 'bare'),
      '>= 0.45',
      (v) => v >= 0.45,
    ],
    [
      'single check through the gateway, tracing and rate limits off, of bare',
      'checkGateway/bare',
      ratio('checkGateway', 'bare'),
      '>= 0.35',
      (v) => v >= 0.35,
    ],
    [
      'single check through the gateway, rate limits on at defaults, of bare',
      'checkDefaults/bare',
      ratio('checkDefaults', 'bare'),
      '>= 0.30',
      (v) => v >= 0.3,
    ],
    [
      '500-item search through the gateway, of pgbench (same statement)',
      'searchGateway/searchSql',
      ratio('searchGateway', 'searchSql'),
      '>= 0.50',
      (v) => v >= 0.5,
    ],
    [
      'p99 of the single check at half its peak rate, ms',
      'checkHalfRate p99',
      p99.get('checkHalfRate')!,
      '<= 20',
      (v) => v <= 20,
    ],
  ];
  console.log('\nDone-when figures (medians; per run in brackets)');
  for (const [label, key, value, target, met] of targets) {
    const runs = key.includes('/')
      ? perRun(...(key.split('/') as [string, string]))
      : rows
          .find((r) => r.key === 'checkHalfRate')!
          .figures.map((f) => f.p99.toFixed(1))
          .join(', ');
    console.log(
      `  ${label.padEnd(72)} ${value.toFixed(2).padStart(7)}  target ${target.padEnd(8)} ${met(value) ? 'met' : 'NOT met'}  [${runs}]`,
    );
  }
  console.log('\nOther ratios');
  console.log(
    `  tracing cost at ratio ${SAMPLER_ARG}: check through the traced gateway / untraced: ${ratio('checkTraced', 'checkGateway').toFixed(2)} [${perRun('checkTraced', 'checkGateway')}]`,
  );
  console.log(
    `  single check, service direct, of bare: ${ratio('checkDirect', 'bare').toFixed(2)}; of pgbench check: ${ratio('checkDirect', 'checkSql').toFixed(2)}`,
  );
  console.log(
    `  500-item search, service direct, of pgbench: ${ratio('searchDirect', 'searchSql').toFixed(2)}`,
  );
  const byCpu = (a: string, b: string) => (cpu.get(b)! / cpu.get(a)!).toFixed(2);
  console.log('\nBy CPU time per request of the serving node processes (what req/s would be on idle cores)');
  console.log(`  gateway in front of the bare app, of bare: ${byCpu('bareGateway', 'bare')}`);
  console.log(
    `  single check through the gateway, untraced, limits off, of bare: ${byCpu('checkGateway', 'bare')}`,
  );
  console.log(
    `  single check through the gateway, sampled, limits on, of bare: ${byCpu('checkDefaults', 'bare')}`,
  );
  console.log(
    `  tracing at ratio ${SAMPLER_ARG}: untraced CPU / traced CPU per check: ${byCpu('checkTraced', 'checkGateway')}`,
  );
  console.log(`  spans exported by the traced pair to the local OTLP sink: ${tracedBatches} batches`);
}

/**
 * Where the services export their spans while tracing is on: an OTLP/HTTP endpoint in this
 * process that accepts and drops them, as a collector would take them, so that tracing costs
 * here what it costs in production (spans recorded, batched, serialized and sent).
 */
async function otlpSink(): Promise<{ url: string; server: Server; batches: () => number }> {
  let batches = 0;
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      batches++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    server,
    batches: () => batches,
  };
}

async function main(): Promise<void> {
  for (const built of ['services/availability/dist/main.js', 'services/gateway/dist/main.js']) {
    if (!existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: run npm run build first`);
  }
  const sink = await otlpSink();
  const database = await createTestDatabase();
  const namespace = `${uniqueName('bench')}-`;
  const ports: Record<string, number> = {};
  for (const name of [
    'service',
    'gateway',
    'bare',
    'bareGateway',
    'tracedService',
    'tracedGateway',
    'defaultsGateway',
  ])
    ports[name] = await freePort();
  const noLimits = {
    RATE_LIMIT_GUEST_PER_MIN: '0',
    RATE_LIMIT_USER_PER_MIN: '0',
    RATE_LIMIT_HOLDS_PER_MIN: '0',
    MAX_ACTIVE_HOLDS_PER_HOLDER: '0',
  };
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    JWT_SECRET: `bench-${randomUUID()}-${randomUUID()}`,
    LOG_LEVEL: 'warn',
    DATABASE_URL: database.url,
    REDIS_URL,
    AMQP_URL,
    MIDAS_NAMESPACE: namespace,
    OTEL_SDK_DISABLED: 'true',
  };
  const untraced = {
    ...env,
    ...noLimits,
    AVAILABILITY_PORT: String(ports.service),
    AVAILABILITY_URL: `http://127.0.0.1:${ports.service}`,
  };
  // The traced pair exports to an OTLP sink in this process, as it would to a collector: without
  // an endpoint the SDK records no spans, which would understate what tracing costs.
  const traced = {
    ...env,
    OTEL_SDK_DISABLED: 'false',
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: SAMPLER_ARG,
    AVAILABILITY_PORT: String(ports.tracedService),
    AVAILABILITY_URL: `http://127.0.0.1:${ports.tracedService}`,
  };
  const children: ChildProcess[] = [];
  const pool = new Pool({ connectionString: database.url, max: 2 });
  const rows: Row[] = [];
  try {
    const profile = process.env.BENCH_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`]
      : [];
    const pid: Record<string, number | undefined> = {};
    const run = async (name: string, args: string[], e: Record<string, string>, ready: string) => {
      const child = start(name, args, e);
      children.push(child);
      pid[name] = child.pid;
      await waitFor(ready, child, name);
    };
    const url = (port: number | undefined, p: string) => `http://127.0.0.1:${port}${p}`;
    // The services migrate at start: one after the other, then the rest.
    await run(
      'availability',
      [...profile, 'services/availability/dist/main.js'],
      untraced,
      url(ports.service, '/readyz'),
    );
    await run(
      'availability-traced',
      [...profile, 'services/availability/dist/main.js'],
      { ...traced, ...noLimits },
      url(ports.tracedService, '/readyz'),
    );
    await run(
      'bare',
      ['--import', 'tsx', 'bench/availability/bare-server.ts'],
      { ...env, BARE_PORT: String(ports.bare) },
      url(ports.bare, '/select1'),
    );
    await Promise.all([
      run(
        'gateway',
        [...profile, 'services/gateway/dist/main.js'],
        { ...untraced, GATEWAY_PORT: String(ports.gateway) },
        url(ports.gateway, '/healthz'),
      ),
      // A gateway whose availability upstream is the bare app: what the gateway hop costs.
      run(
        'gateway-bare',
        ['services/gateway/dist/main.js'],
        {
          ...untraced,
          GATEWAY_PORT: String(ports.bareGateway),
          AVAILABILITY_URL: `http://127.0.0.1:${ports.bare}`,
        },
        url(ports.bareGateway, '/healthz'),
      ),
      run(
        'gateway-traced',
        [...profile, 'services/gateway/dist/main.js'],
        { ...traced, ...noLimits, GATEWAY_PORT: String(ports.tracedGateway) },
        url(ports.tracedGateway, '/healthz'),
      ),
      // As deployed: head sampling as the chart sets it and the rate limits at their defaults.
      run(
        'gateway-defaults',
        ['services/gateway/dist/main.js'],
        { ...traced, GATEWAY_PORT: String(ports.defaultsGateway) },
        url(ports.defaultsGateway, '/healthz'),
      ),
    ]);

    const windowStart = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 5, 1, 10));
    const windowEnd = new Date(windowStart.getTime() + 24 * 3600_000);
    const ids = await seed(pool, windowStart);
    await pool.query('ANALYZE availability.items; ANALYZE availability.allocations');

    const checkPath = `/v1/availability?itemId=${ids[0]}&start=${windowStart.toISOString()}&end=${windowEnd.toISOString()}`;
    const searchBody = JSON.stringify({
      itemIds: ids,
      start: windowStart.toISOString(),
      end: windowEnd.toISOString(),
    });
    const search = (port: number | undefined): autocannon.Options => ({
      url: url(port, '/v1/availability/search'),
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: searchBody,
    });
    // Many customers, each far below the per-minute limit: the limiter's cost, not its refusals.
    const tokens = await Promise.all(
      Array.from({ length: TOKEN_HOLDERS }, (_, i) =>
        signToken({ secret: env.JWT_SECRET, sub: `bench-customer-${i}` }),
      ),
    );
    const asCustomers: autocannon.Request[] = tokens.map((t) => ({
      method: 'GET',
      path: checkPath,
      headers: { authorization: `Bearer ${t}` },
    }));
    const now = new Date().toISOString();
    const window = [windowStart.toISOString(), windowEnd.toISOString()];

    const record = (key: string, label: string, f: Figures) => {
      let row = rows.find((r) => r.key === key);
      if (!row) rows.push((row = { key, label, figures: [] }));
      row.figures.push(f);
      return f;
    };
    for (let i = 0; i < RUNS; i++) {
      record(
        'bare',
        'bare express + SELECT 1',
        await load('bare', { url: url(ports.bare, '/select1') }, [pid.bare]),
      );
      record(
        'bareGateway',
        'the same, through the gateway',
        await load('bare via gateway', { url: url(ports.bareGateway, '/v1/availability') }, [
          pid['gateway-bare'],
          pid.bare,
        ]),
      );
      record(
        'checkSql',
        'pgbench: check statement',
        pgbench('check SQL', database.url, CHECK_SQL, [ids[0]!, window[0]!, window[1]!, now]),
      );
      record(
        'checkDirect',
        'GET check, service direct',
        await load('check direct', { url: url(ports.service, checkPath) }, [pid.availability]),
      );
      const peak = record(
        'checkGateway',
        'GET check, gateway (untraced, rate limits off)',
        await load('check', { url: url(ports.gateway, checkPath) }, [pid.gateway, pid.availability]),
      );
      record(
        'checkTraced',
        `GET check, gateway (sampled ${SAMPLER_ARG}, rate limits off)`,
        await load('check traced', { url: url(ports.tracedGateway, checkPath) }, [
          pid['gateway-traced'],
          pid['availability-traced'],
        ]),
      );
      record(
        'checkDefaults',
        `GET check, gateway (sampled ${SAMPLER_ARG}, rate limits on), ${TOKEN_HOLDERS} customers`,
        await load('check defaults', { url: url(ports.defaultsGateway, checkPath), requests: asCustomers }, [
          pid['gateway-defaults'],
          pid['availability-traced'],
        ]),
      );
      record(
        'checkHalfRate',
        `GET check, gateway (untraced, limits off) at ${Math.round(peak.requestsPerSecond / 2)}/s`,
        await load('check at half rate', {
          url: url(ports.gateway, checkPath),
          overallRate: Math.max(1, Math.round(peak.requestsPerSecond / 2)),
        }),
      );
      record(
        'searchSql',
        'pgbench: 500-item search statement',
        pgbench('search SQL', database.url, SEARCH_BY_IDS_SQL, [
          `{${ids.join(',')}}`,
          window[0]!,
          window[1]!,
          now,
        ]),
      );
      record(
        'searchDirect',
        'POST search 500 items, service direct',
        await load('search direct', search(ports.service), [pid.availability]),
      );
      record(
        'searchGateway',
        'POST search 500 items, gateway (untraced, limits off)',
        await load('search', search(ports.gateway), [pid.gateway, pid.availability]),
      );
      if (RUNS > 1) process.stderr.write(`run ${i + 1} of ${RUNS} done\n`);
    }
  } finally {
    await Promise.all(children.map(stop));
    await pool.end();
    const names = topologyNames(namespace);
    const queues = [
      names.consumerQueue('availability', 'booking-events'),
      names.consumerQueue('availability', 'calendar-events'),
      ...Object.values(availabilityRpc).map((m) => names.rpcQueue(m.method)),
    ];
    const amqp = await import('amqplib');
    const connection = await amqp.connect(AMQP_URL);
    for (const q of [...queues, ...queues.map((q) => `${q}.dlq`)]) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await channel.deleteQueue(q).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
    // The run's own exchanges go too, so a run leaves nothing on the shared broker.
    for (const exchange of [names.events, names.rpc, names.deadLetters]) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await channel.deleteExchange(exchange).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
    await connection.close();
    await clearRedisNamespace(namespace);
    await database.drop();
    sink.server.close();
  }
  report(rows, sink.batches());
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
