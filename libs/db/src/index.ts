/** PostgreSQL access shared by every service: the pool, drizzle, database creation and locked migrations. */
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { sql } from 'drizzle-orm';
import { prepareRepeatedQueries } from './prepared';
import { untraceUnsampledQueries } from './unsampled';

export { sql };
export type { Db, Tx } from './tx';
export type { Pool };
export { findBy, keysetPage, rowsById, upsertBy } from './table-rows';
export { amount, instant } from './columns';

export function createPool(databaseUrl: string, options: PoolConfig = {}): Pool {
  const pool = new Pool({
    connectionString: databaseUrl,
    max: 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    application_name: options.application_name ?? 'midas',
    ...options,
  });
  // An idle client's error (e.g. the server restarted) must not crash the process.
  pool.on('error', () => undefined);
  // Nor may a checked-out client's: a connection dropped between two queries of a transaction
  // (the server restarted while the code awaited a broker confirm or an RPC) emits 'error' on the
  // client, which has no listener while it is out of the pool. Its next query fails instead, and
  // the pool discards it on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  untraceUnsampledQueries(pool);
  prepareRepeatedQueries(pool);
  return pool;
}

/**
 * Runs `fn` on one client between BEGIN and COMMIT (ROLLBACK when it throws): raw, named
 * statements that must commit together, without drizzle.
 */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}

export function createDb<S extends Record<string, unknown>>(pool: Pool, schema: S): NodePgDatabase<S> {
  return drizzle(pool, { schema });
}

/** Creates the database named in `databaseUrl` when it does not exist yet. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const pool = new Pool({ connectionString: admin.toString(), max: 1 });
  try {
    const found = await pool.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await pool.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((err: { code?: string }) => {
      if (err.code !== '42P04') throw err; // created concurrently by another process
    });
    return true;
  } finally {
    await pool.end();
  }
}

/** Hash of a name into a bigint-safe advisory lock key, so each schema migrates under its own lock. */
function lockKey(name: string): number {
  let h = 0;
  for (const ch of name) h = (Math.imul(31, h) + ch.charCodeAt(0)) | 0;
  return h;
}

/**
 * Applies a service's drizzle migrations, serialised by an advisory lock so replicas
 * (or a migrations Job racing a pod) never apply the same migration twice.
 */
export async function migrateSchema(pool: Pool, schema: string, migrationsFolder: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [lockKey(`midas:migrate:${schema}`)]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const db = drizzle(client);
      await migrate(db, { migrationsFolder, migrationsSchema: schema, migrationsTable: '__migrations' });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [lockKey(`midas:migrate:${schema}`)]);
    }
  } finally {
    client.release();
  }
}

export async function pingDb(pool: Pool): Promise<void> {
  await pool.query('SELECT 1');
}

/** Postgres error codes the services map to domain errors. */
export const PgCode = {
  uniqueViolation: '23505',
  exclusionViolation: '23P01',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
} as const;

export function pgErrorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 3 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
