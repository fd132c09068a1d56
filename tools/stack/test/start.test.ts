import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { Pool } from 'pg';
import { BASE_DATABASE_URL, clearBrokerNamespace, clearRedisNamespace, uniqueName } from '@midas/testing';

const START = path.resolve(__dirname, '../dist/start.js');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function collect(child: ChildProcess): { out: () => string } {
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  return { out: () => text };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
  });
}

async function portOpen(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  );
}

describe('npm start', () => {
  const dbName = uniqueName('midas_start_');
  const namespace = `${uniqueName('t')}-`;
  const dbUrl = (() => {
    const u = new URL(BASE_DATABASE_URL);
    u.pathname = `/${dbName}`;
    return u.toString();
  })();

  afterAll(async () => {
    const admin = new Pool({ connectionString: BASE_DATABASE_URL.replace(/\/[^/]*$/, '/postgres'), max: 1 });
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
    await clearRedisNamespace(namespace);
    await clearBrokerNamespace(namespace);
  });

  it('creates the database, gets the gateway ready, and stops every process on SIGINT within 10 s', async () => {
    const names = ['GATEWAY', 'AVAILABILITY', 'BOOKING', 'PRICING', 'NOTIFICATION', 'CALENDAR'];
    const ports: Record<string, number> = {};
    for (const n of names) ports[n] = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: dbUrl,
      MIDAS_NAMESPACE: namespace,
      LOG_LEVEL: 'warn',
    };
    for (const n of names) env[`${n}_PORT`] = String(ports[n]);
    for (const n of names.slice(1)) delete env[`${n}_URL`];

    const started = Date.now();
    const child = spawn(process.execPath, [START], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = collect(child);
    try {
      let ready = false;
      while (Date.now() - started < 60_000 && child.exitCode === null) {
        const res = await fetch(`http://127.0.0.1:${ports.GATEWAY}/readyz`, {
          signal: AbortSignal.timeout(1000),
        }).catch(() => undefined);
        if (res?.status === 200) {
          ready = true;
          break;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      const readyMs = Date.now() - started;
      if (!ready) throw new Error(`not ready within 60 s:\n${log.out()}`);
      process.stdout.write(`npm start: gateway ready in ${readyMs} ms\n`);
      expect(readyMs).toBeLessThan(60_000);

      const stopAt = Date.now();
      child.kill('SIGINT');
      const code = await exited(child);
      const stopMs = Date.now() - stopAt;
      process.stdout.write(`npm start: all processes stopped in ${stopMs} ms\n`);
      expect(code).toBe(0);
      expect(stopMs).toBeLessThan(10_000);
      for (const n of names) expect(await portOpen(ports[n]!)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);

  it.each([
    ['Redis', { REDIS_URL: 'redis://127.0.0.1:1' }],
    ['RabbitMQ', { AMQP_URL: 'amqp://guest:guest@127.0.0.1:1' }],
    ['PostgreSQL', { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/midas' }],
  ])(
    'exits non-zero within 30 s saying %s is missing and how to start it',
    async (name, overrides) => {
      const started = Date.now();
      const child = spawn(process.execPath, [START], {
        env: { ...process.env, DATABASE_URL: dbUrl, MIDAS_NAMESPACE: namespace, ...overrides },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const log = collect(child);
      const code = await exited(child);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(code).not.toBe(0);
      const lines = log
        .out()
        .split('\n')
        .filter((l) => l.includes('not reachable'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`${name} is not reachable`);
      expect(lines[0]).toContain('Start it with:');
    },
    40_000,
  );

  it('exits with one clear line per bad variable', async () => {
    const child = spawn(process.execPath, [START], {
      env: { ...process.env, HOLD_TTL_SECONDS: 'forever' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = collect(child);
    expect(await exited(child)).not.toBe(0);
    expect(log.out()).toContain('Invalid configuration: HOLD_TTL_SECONDS:');
  });
});
