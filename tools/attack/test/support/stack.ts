/**
 * The whole Midas stack as `npm start` runs it (tools/stack: preflight, database, migrations, seed,
 * the gateway and five services as child processes), on free ports with its own database, Redis
 * prefix and RabbitMQ names, its output (every process's log lines) kept for inspection.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { Pool } from 'pg';
import { BASE_DATABASE_URL, clearBrokerNamespace, clearRedisNamespace, uniqueName } from '@midas/testing';

const ROOT = path.resolve(__dirname, '../../../..');
const START = path.join(ROOT, 'tools/stack/dist/start.js');
const PORTS = ['GATEWAY', 'AVAILABILITY', 'BOOKING', 'PRICING', 'NOTIFICATION', 'CALENDAR'] as const;

export interface RunningStack {
  base: string;
  internalBase: string;
  jwtSecret: string;
  /** Everything the processes wrote so far. */
  output: () => string;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
  });
}

function databaseUrl(name: string): string {
  const u = new URL(BASE_DATABASE_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function startRealStack(overrides: Record<string, string> = {}): Promise<RunningStack> {
  const dbName = uniqueName('midas_attack_');
  const namespace = `${uniqueName('atk')}-`;
  const jwtSecret = randomBytes(48).toString('base64');
  const ports: Record<string, number> = {};
  for (const n of [...PORTS, 'GATEWAY_INTERNAL']) ports[n] = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl(dbName),
    MIDAS_NAMESPACE: namespace,
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: 'info',
    GATEWAY_INTERNAL_PORT: String(ports.GATEWAY_INTERNAL),
    ...overrides,
  };
  delete env.TRUST_PROXY;
  for (const n of PORTS) env[`${n}_PORT`] = String(ports[n]);
  for (const n of PORTS.slice(1)) delete env[`${n}_URL`];

  const child = spawn(process.execPath, [START], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  const base = `http://127.0.0.1:${ports.GATEWAY}`;

  const cleanup = async () => {
    const admin = new Pool({ connectionString: databaseUrl('postgres'), max: 1 });
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await clearRedisNamespace(namespace).catch(() => undefined);
    await clearBrokerNamespace(namespace).catch(() => undefined);
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited(child);
      clearTimeout(timer);
    }
    await cleanup();
  };

  const started = Date.now();
  while (Date.now() - started < 90_000 && child.exitCode === null) {
    const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
    if (res?.status === 200) {
      return {
        base,
        internalBase: `http://127.0.0.1:${ports.GATEWAY_INTERNAL}`,
        jwtSecret,
        output: () => text,
        stop,
      };
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  await stop();
  throw new Error(`the stack did not get ready within 90 s:\n${text.slice(-4000)}`);
}

/** Starts one process of the stack (its built main.js) and waits for it to exit or to be up. */
export async function startAlone(
  service: string,
  env: Record<string, string | undefined>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; output: string }> {
  const entry = path.join(ROOT, 'services', service, 'dist/main.js');
  const full: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete full[k];
  const child = spawn(process.execPath, [entry], { env: full, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await exited(child);
  clearTimeout(timer);
  return { code, output };
}
