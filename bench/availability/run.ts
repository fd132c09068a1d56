/**
 * Availability throughput and p99 latency through the gateway, next to the ceilings measured in
 * the same run: a bare express app answering `SELECT 1`, and pgbench running the very SQL the
 * service runs. The gateway, the service and the bare app each run in their own process, as
 * deployed; autocannon drives them from this one.
 *
 *   npm run build && node --import tsx bench/availability/run.ts
 *   (BENCH_SECONDS=10 per scenario, BENCH_CONNECTIONS=20; BENCH_OTEL=off disables tracing in the services;
 *   BENCH_PROFILE=<dir> writes V8 CPU profiles of the service and the gateway there)
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
import { AMQP_URL, clearRedisNamespace, createTestDatabase, REDIS_URL, uniqueName } from '@midas/testing';
import { CHECK_SQL, SEARCH_BY_IDS_SQL } from '../../services/availability/src/db/occupations';

const SECONDS = Math.min(120, Math.max(2, Number(process.env.BENCH_SECONDS ?? 10)));
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
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not answer ${url} within 60 s`);
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

async function load(name: string, opts: autocannon.Options): Promise<Figures> {
  // A short warm-up fills pools, prepared statements and JIT caches, so the measured run is steady state.
  await autocannon({ ...opts, connections: CONNECTIONS, duration: 2 });
  const r = await autocannon({ ...opts, connections: CONNECTIONS, duration: SECONDS });
  return {
    name,
    requestsPerSecond: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
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

function report(figures: Figures[], ceiling: Figures): void {
  console.log(
    `\n${SECONDS} s per scenario; HTTP: ${CONNECTIONS} connections (autocannon); SQL: pgbench, ${PG_CLIENTS} clients, prepared\n`,
  );
  const cols = ['req/s', 'p50 ms', 'p99 ms', 'of bare', 'of SQL', 'errors'];
  console.log('scenario'.padEnd(46), ...cols.map((c) => c.padStart(9)));
  for (const f of figures) {
    const ofBare = f.sql || f.overBare ? (f.requestsPerSecond / ceiling.requestsPerSecond).toFixed(2) : '';
    const ofSql = f.sql ? (f.requestsPerSecond / f.sql.requestsPerSecond).toFixed(2) : '';
    const cells = [
      f.requestsPerSecond.toFixed(0),
      f.p50.toFixed(2),
      f.p99.toFixed(2),
      ofBare,
      ofSql,
      String(f.errors),
    ];
    console.log(f.name.padEnd(46), ...cells.map((c) => c.padStart(9)));
  }
  console.log('\ntarget: through the gateway >= 0.50 of bare');
  const hop = figures.find((f) => f.overBare);
  if (hop)
    console.log(
      `the gateway alone, in front of the bare app, reaches ${(hop.requestsPerSecond / ceiling.requestsPerSecond).toFixed(2)} of bare: no service behind it can do better`,
    );
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
  const tracing = process.env.BENCH_OTEL !== 'off';
  const sink = tracing ? await otlpSink() : undefined;
  const database = await createTestDatabase();
  const namespace = `${uniqueName('bench')}-`;
  const [servicePort, gatewayPort, barePort, bareGatewayPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    JWT_SECRET: `bench-${randomUUID()}-${randomUUID()}`,
    LOG_LEVEL: 'warn',
    DATABASE_URL: database.url,
    REDIS_URL,
    AMQP_URL,
    MIDAS_NAMESPACE: namespace,
    AVAILABILITY_PORT: String(servicePort),
    GATEWAY_PORT: String(gatewayPort),
    AVAILABILITY_URL: `http://127.0.0.1:${servicePort}`,
    RATE_LIMIT_GUEST_PER_MIN: '0',
    RATE_LIMIT_USER_PER_MIN: '0',
    RATE_LIMIT_HOLDS_PER_MIN: '0',
    ...(tracing
      ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink!.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }
      : { OTEL_SDK_DISABLED: 'true' }),
  };
  const children: ChildProcess[] = [];
  const pool = new Pool({ connectionString: database.url, max: 2 });
  const figures: Figures[] = [];
  let ceiling: Figures | undefined;
  try {
    const profile = process.env.BENCH_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`]
      : [];
    const service = start('availability', [...profile, 'services/availability/dist/main.js'], env);
    children.push(service);
    await waitFor(`http://127.0.0.1:${servicePort}/readyz`, service, 'availability');
    const gateway = start('gateway', [...profile, 'services/gateway/dist/main.js'], env);
    children.push(gateway);
    await waitFor(`http://127.0.0.1:${gatewayPort}/healthz`, gateway, 'gateway');
    const bare = start('bare', ['--import', 'tsx', 'bench/availability/bare-server.ts'], {
      ...env,
      BARE_PORT: String(barePort),
    });
    children.push(bare);
    await waitFor(`http://127.0.0.1:${barePort}/select1`, bare, 'bare server');
    // A second gateway whose availability upstream is the bare app: what the gateway hop costs.
    const bareGateway = start('gateway-bare', ['services/gateway/dist/main.js'], {
      ...env,
      GATEWAY_PORT: String(bareGatewayPort),
      AVAILABILITY_URL: `http://127.0.0.1:${barePort}`,
    });
    children.push(bareGateway);
    await waitFor(`http://127.0.0.1:${bareGatewayPort}/healthz`, bareGateway, 'gateway in front of bare');

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
    const search = (port: number): autocannon.Options => ({
      url: `http://127.0.0.1:${port}/v1/availability/search`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: searchBody,
    });
    const now = new Date().toISOString();
    const window = [windowStart.toISOString(), windowEnd.toISOString()];

    ceiling = await load('bare express + SELECT 1', { url: `http://127.0.0.1:${barePort}/select1` });
    figures.push(ceiling);
    figures.push({
      ...(await load('bare express + SELECT 1, through the gateway', {
        url: `http://127.0.0.1:${bareGatewayPort}/v1/availability`,
      })),
      overBare: true,
    });
    const checkSql = pgbench('pgbench: check SQL', database.url, CHECK_SQL, [
      ids[0]!,
      window[0]!,
      window[1]!,
      now,
    ]);
    figures.push(checkSql);
    figures.push({
      ...(await load('GET /v1/availability, service direct', {
        url: `http://127.0.0.1:${servicePort}${checkPath}`,
      })),
      sql: checkSql,
    });
    figures.push({
      ...(await load('GET /v1/availability, through the gateway', {
        url: `http://127.0.0.1:${gatewayPort}${checkPath}`,
      })),
      sql: checkSql,
    });
    const searchSql = pgbench('pgbench: 500-item search SQL', database.url, SEARCH_BY_IDS_SQL, [
      `{${ids.join(',')}}`,
      window[0]!,
      window[1]!,
      now,
    ]);
    figures.push(searchSql);
    figures.push({
      ...(await load('POST search 500 items, service direct', search(servicePort))),
      sql: searchSql,
    });
    figures.push({
      ...(await load('POST search 500 items, through the gateway', search(gatewayPort))),
      sql: searchSql,
    });
  } finally {
    await Promise.all(children.map(stop));
    await pool.end();
    const names = topologyNames(namespace);
    const queues = [
      names.consumerQueue('availability', 'booking-events'),
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
    await connection.close();
    await clearRedisNamespace(namespace);
    await database.drop();
    sink?.server.close();
  }
  report(figures, ceiling!);
  if (sink)
    console.log(`\ntracing on: spans exported to a local OTLP sink (${sink.batches()} batches received)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
