// The Midas processes for the check: own database, own MIDAS_NAMESPACE, own free ports (never
// the 8080-8085 of a developer's `npm start`), started from the built dist like `npm start` does.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import testing from '@midas/testing';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVICES = ['availability', 'pricing', 'booking', 'notification', 'calendar', 'gateway'];

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function freePorts(n) {
  const ports = new Set();
  while (ports.size < n) {
    const p = await freePort();
    if (p < 8080 || p > 8085) ports.add(p);
  }
  return [...ports];
}

/** Waits until `url` answers 2xx; fails early when the process exits. */
export async function waitOk(url, child, name, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not answer ${url} within ${timeoutMs / 1000} s`);
}

export class Stack {
  static async create(extraEnv = {}) {
    const db = await testing.createTestDatabase();
    const namespace = `${testing.uniqueName('obs')}-`;
    const ports = await freePorts(SERVICES.length + 1);
    const port = Object.fromEntries(SERVICES.map((s, i) => [s, ports[i]]));
    // The gateway serves /metrics to Prometheus on its internal listener only.
    const metricsPort = { ...port, gateway: ports[SERVICES.length] };
    const env = {
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: db.url,
      MIDAS_NAMESPACE: namespace,
      OTEL_SDK_DISABLED: 'true',
      ...Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_PORT`, String(port[s])])),
      GATEWAY_INTERNAL_PORT: String(metricsPort.gateway),
      ...extraEnv,
    };
    return new Stack(db, namespace, port, env, metricsPort);
  }

  constructor(db, namespace, port, env, metricsPort = port) {
    this.db = db;
    this.namespace = namespace;
    this.port = port;
    this.metricsPort = metricsPort;
    this.env = env;
    this.children = new Map();
  }

  url(name, p = '') {
    return `http://127.0.0.1:${this.port[name]}${p}`;
  }

  /** Applies every service's migrations once, as the chart's Job does, so the services skip theirs. */
  migrate() {
    const res = spawnSync(process.execPath, ['tools/stack/dist/migrate-all.js'], {
      cwd: root,
      env: { ...process.env, ...this.env },
      encoding: 'utf8',
    });
    if (res.status !== 0) throw new Error(`migrations failed: ${res.stdout}${res.stderr}`);
  }

  start(name) {
    const child = spawn(process.execPath, [`services/${name}/dist/main.js`], {
      cwd: root,
      env: { ...process.env, ...this.env, MIDAS_SKIP_MIGRATIONS: 'true' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr.on('data', (chunk) => process.stderr.write(`[${name}] ${chunk}`));
    child.on('error', (err) => process.stderr.write(`[${name}] ${err.message}\n`));
    this.children.set(name, child);
    return waitOk(this.url(name, name === 'gateway' ? '/readyz/self' : '/readyz'), child, name);
  }

  async startAll() {
    this.migrate();
    await Promise.all(SERVICES.filter((s) => s !== 'gateway').map((name) => this.start(name)));
    await this.start('gateway');
    await waitOk(this.url('gateway', '/readyz'), undefined, 'every service behind the gateway');
  }

  stop(name) {
    const child = this.children.get(name);
    this.children.delete(name);
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  /** Last resort when the check itself dies: no process of the stack outlives it. */
  killNow() {
    for (const child of this.children.values()) if (child.exitCode === null) child.kill('SIGKILL');
  }

  /** Stops every process, then removes the database, Redis keys and RabbitMQ names of the namespace. */
  async cleanup() {
    await Promise.all([...this.children.keys()].map((n) => this.stop(n)));
    await testing.clearRedisNamespace(this.namespace).catch(() => undefined);
    await testing.clearBrokerNamespace(this.namespace).catch(() => undefined);
    await this.db.drop().catch(() => undefined);
  }
}
