/** Checks that PostgreSQL, Redis and RabbitMQ answer before anything starts, saying how to start each one that does not. */
import { Pool } from 'pg';
import { Redis } from 'ioredis';
import amqp from 'amqplib';
import type { Config } from '@midas/config';

const HINTS = {
  PostgreSQL:
    'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start  (or: sudo systemctl start postgresql)',
  Redis: 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379  (or: sudo systemctl start redis-server)',
  RabbitMQ: 'rabbitmq-server -detached  (or: sudo systemctl start rabbitmq-server)',
};

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
    }),
  ]);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

async function checkPostgres(cfg: Config): Promise<void> {
  const admin = new URL(cfg.DATABASE_URL);
  admin.pathname = '/postgres';
  const pool = new Pool({ connectionString: admin.toString(), max: 1, connectionTimeoutMillis: 5000 });
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } finally {
    await pool.end().catch(() => undefined);
  }
}

async function checkRedis(cfg: Config): Promise<void> {
  const redis = new Redis(cfg.REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}

async function checkRabbit(cfg: Config): Promise<void> {
  const conn = await amqp.connect(cfg.AMQP_URL, { timeout: 5000 });
  await conn.close();
}

/** Returns one line per dependency that does not answer; empty when all do. */
export async function preflight(cfg: Config): Promise<string[]> {
  const checks: [keyof typeof HINTS, string, () => Promise<void>][] = [
    ['PostgreSQL', hostOf(cfg.DATABASE_URL), () => checkPostgres(cfg)],
    ['Redis', hostOf(cfg.REDIS_URL), () => checkRedis(cfg)],
    ['RabbitMQ', hostOf(cfg.AMQP_URL), () => checkRabbit(cfg)],
  ];
  const results = await Promise.all(
    checks.map(async ([name, host, check]) => {
      try {
        await withTimeout(check(), 8000, name);
        return undefined;
      } catch (err) {
        const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
        return `${name} is not reachable at ${host} (${reason}). Start it with: ${HINTS[name]}`;
      }
    }),
  );
  return results.filter((line): line is string => line !== undefined);
}
