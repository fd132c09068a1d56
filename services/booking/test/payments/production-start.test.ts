/**
 * The built booking process under NODE_ENV=production: with neither Stripe nor PayPal configured
 * it refuses to start, in one line naming STRIPE_SECRET_KEY and PAYPAL_CLIENT_ID, before touching
 * anything; ALLOW_LOCAL_PAYMENTS=true says the local provider is meant, and it starts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { createTestEnv, type TestEnv } from '@midas/testing';

const MAIN = path.resolve(__dirname, '../../dist/main.js');
const SECRET = randomBytes(48).toString('base64');

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
}, 90_000);
afterAll(async () => {
  await env?.cleanup();
});

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

function run(extra: Record<string, string>, port: number) {
  const childEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    JWT_SECRET: SECRET,
    DATABASE_URL: env.cfg.DATABASE_URL,
    REDIS_URL: env.cfg.REDIS_URL,
    AMQP_URL: env.cfg.AMQP_URL,
    MIDAS_NAMESPACE: env.namespace,
    BOOKING_PORT: String(port),
    SHUTDOWN_TIMEOUT_MS: '3000',
    ...extra,
  };
  const child = spawn(process.execPath, [MAIN], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stdout?.resume();
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, stderr: () => stderr };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
  });
}

it('refuses to start without Stripe or PayPal, in one line naming both variables', async () => {
  const { child, stderr } = run({}, await freePort());
  const code = await exited(child);
  expect(code).not.toBe(0);
  const lines = stderr().trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/STRIPE_SECRET_KEY/);
  expect(lines[0]).toMatch(/PAYPAL_CLIENT_ID/);
  expect(lines[0]).toMatch(/ALLOW_LOCAL_PAYMENTS=true/);
}, 90_000);

it('refuses ALLOW_LOCAL_PAYMENTS=false the same way, and a value that is not a boolean', async () => {
  const refused = run({ ALLOW_LOCAL_PAYMENTS: 'false' }, await freePort());
  expect(await exited(refused.child)).not.toBe(0);
  expect(refused.stderr()).toMatch(/STRIPE_SECRET_KEY.*PAYPAL_CLIENT_ID/);
  const bad = run({ ALLOW_LOCAL_PAYMENTS: 'yes' }, await freePort());
  expect(await exited(bad.child)).not.toBe(0);
  expect(bad.stderr()).toMatch(/ALLOW_LOCAL_PAYMENTS: must be true or false/);
}, 90_000);

it('starts with ALLOW_LOCAL_PAYMENTS=true and answers its health check', async () => {
  const port = await freePort();
  const { child, stderr } = run({ ALLOW_LOCAL_PAYMENTS: 'true' }, port);
  try {
    let healthy = false;
    const started = Date.now();
    while (!healthy && child.exitCode === null && Date.now() - started < 40_000) {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, {
        signal: AbortSignal.timeout(1000),
      }).catch(() => undefined);
      healthy = res?.status === 200;
      if (!healthy) await new Promise((r) => setTimeout(r, 250));
    }
    expect({ healthy, stderr: healthy ? '' : stderr() }).toEqual({ healthy: true, stderr: '' });
  } finally {
    child.kill('SIGTERM');
    await exited(child);
  }
}, 90_000);
