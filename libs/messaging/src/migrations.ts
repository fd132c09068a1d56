/**
 * The outbox and inbox tables, created in each service's own schema. Drizzle migrations are
 * static SQL, so the files in `migrations/` (drizzle format) name the schema `"__schema__"` and
 * are applied per schema here, under an advisory lock, recorded in `<schema>.__messaging_migrations`.
 */
import path from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Pool } from '@midas/db';

export const messagingMigrationsFolder = path.resolve(__dirname, '../migrations');

/** NOTIFY channel the outbox trigger signals, with the schema name as payload. */
export const OUTBOX_CHANNEL = 'midas_outbox';

const PLACEHOLDER = /__schema__/g;

export async function migrateMessaging(pool: Pool, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const migrations = readMigrationFiles({ migrationsFolder: messagingMigrationsFolder });
  const client = await pool.connect();
  const lock = `midas:migrate-messaging:${schema}`;
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS "${schema}".__messaging_migrations (
           hash text PRIMARY KEY, created_at bigint NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const applied = await client.query<{ hash: string }>(
        `SELECT hash FROM "${schema}".__messaging_migrations`,
      );
      const done = new Set(applied.rows.map((r) => r.hash));
      for (const migration of migrations) {
        if (done.has(migration.hash)) continue;
        await client.query('BEGIN');
        try {
          for (const statement of migration.sql) {
            if (statement.trim()) await client.query(statement.replace(PLACEHOLDER, schema));
          }
          await client.query(
            `INSERT INTO "${schema}".__messaging_migrations (hash, created_at) VALUES ($1, $2)`,
            [migration.hash, migration.folderMillis],
          );
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]);
    }
  } finally {
    client.release();
  }
}
