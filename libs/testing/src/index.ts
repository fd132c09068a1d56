/** Test fixtures against the real services on this machine: a database, a namespace and tokens per test file. */
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { SignJWT } from 'jose';
import { Redis } from 'ioredis';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { parseConfig, DEV_JWT_SECRET, type Config } from '@midas/config';

export const BASE_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/midas';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export function uniqueName(prefix = 't'): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface TestDatabase {
  url: string;
  name: string;
  drop: () => Promise<void>;
}

/** A fresh, empty database for one test file; `drop()` removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = uniqueName('midas_test_');
  const admin = new Pool({ connectionString: withDatabase(BASE_DATABASE_URL, 'postgres'), max: 1 });
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(BASE_DATABASE_URL, name),
    name,
    drop: async () => {
      const pool = new Pool({ connectionString: withDatabase(BASE_DATABASE_URL, 'postgres'), max: 1 });
      try {
        await pool.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await pool.end();
      }
    },
  };
}

/** Deletes every Redis key under a test namespace. */
export async function clearRedisNamespace(namespace: string, url = REDIS_URL): Promise<void> {
  if (!namespace) throw new Error('refusing to clear an empty namespace');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function listBrokerNames(kind: 'queues' | 'exchanges'): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    'rabbitmqctl',
    [`list_${kind}`, '-q', '--no-table-headers', 'name'],
    {
      timeout: 15_000,
    },
  );
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/**
 * Deletes the RabbitMQ queues and exchanges a test namespace declared on the default vhost.
 * AMQP cannot list them, so this asks rabbitmqctl; where it is missing, nothing is removed.
 */
export async function clearBrokerNamespace(namespace: string, url = AMQP_URL): Promise<void> {
  if (!namespace) throw new Error('refusing to clear an empty namespace');
  let queues: string[];
  let exchanges: string[];
  try {
    [queues, exchanges] = await Promise.all([listBrokerNames('queues'), listBrokerNames('exchanges')]);
  } catch {
    return;
  }
  queues = queues.filter((q) => q.startsWith(namespace));
  exchanges = exchanges.filter((e) => e.startsWith(namespace));
  if (!queues.length && !exchanges.length) return;
  const conn = await amqp.connect(url);
  try {
    const ch = await conn.createChannel();
    for (const q of queues) await ch.deleteQueue(q);
    for (const e of exchanges) await ch.deleteExchange(e);
    await ch.close();
  } finally {
    await conn.close();
  }
}

export interface TestEnv {
  cfg: Config;
  namespace: string;
  db: TestDatabase;
  /** Drops the database and clears the namespace's Redis keys. */
  cleanup: () => Promise<void>;
}

/**
 * A config for one test file: own database, own Redis key prefix and RabbitMQ names
 * (through MIDAS_NAMESPACE), random ports.
 */
export async function createTestEnv(overrides: Record<string, string> = {}): Promise<TestEnv> {
  const db = await createTestDatabase();
  const namespace = `${uniqueName('t')}-`;
  const cfg = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: db.url,
    REDIS_URL,
    AMQP_URL,
    MIDAS_NAMESPACE: namespace,
    SHUTDOWN_TIMEOUT_MS: '3000',
    // Component tests hold many slots from one address; the cap's own tests set it.
    MAX_ACTIVE_HOLDS_PER_HOLDER: '0',
    ...overrides,
  });
  return {
    cfg,
    namespace,
    db,
    cleanup: async () => {
      await clearRedisNamespace(namespace).catch(() => undefined);
      await clearBrokerNamespace(namespace).catch(() => undefined);
      await db.drop();
    },
  };
}

export interface TokenOptions {
  sub?: string;
  role?: 'customer' | 'concierge' | 'admin' | 'super_admin';
  location?: string;
  /** A customer's contact claims. */
  email?: string;
  name?: string;
  secret?: string;
  issuer?: string;
  audience?: string;
  expiresIn?: string | number;
  alg?: string;
}

/** Signs a bearer token the services accept (or, with options, one they must refuse). */
export async function signToken(opts: TokenOptions = {}): Promise<string> {
  const claims: Record<string, unknown> = { role: opts.role ?? 'customer' };
  if (opts.location) claims.location = opts.location;
  if (opts.email) claims.email = opts.email;
  if (opts.name) claims.name = opts.name;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: opts.alg ?? 'HS256' })
    .setSubject(opts.sub ?? uniqueName('user-'))
    .setIssuer(opts.issuer ?? 'midas')
    .setAudience(opts.audience ?? 'midas-api')
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '1h');
  return jwt.sign(new TextEncoder().encode(opts.secret ?? DEV_JWT_SECRET));
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

/** Polls `check` until it returns a truthy value or the deadline passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export {
  brokerScope,
  connectBroker,
  deleteQueues,
  observeEvents,
  startStandIn,
  withDeadLetters,
  type BrokerScope,
  type EventObserver,
  type ObservedEvent,
  type StandIn,
} from './broker';
