/**
 * The pool survives PostgreSQL dropping its connections: an idle client's error and a
 * checked-out client's error between two queries (a restart in the middle of a transaction) are
 * both absorbed, the broken client fails its next query, and the pool goes on with new ones.
 */
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@midas/testing';
import { createPool } from '../src';

let db: TestDatabase;
let admin: Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  admin = new Pool({ connectionString: db.url, max: 1 });
});
afterAll(async () => {
  await admin?.end();
  await db?.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function terminate(pid: number): Promise<void> {
  await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  await sleep(300);
}

describe('createPool under a server that drops connections', () => {
  it('absorbs the error of a client checked out between two queries of a transaction, and serves new ones', async () => {
    const pool = createPool(db.url, { max: 2 });
    const uncaught: unknown[] = [];
    const record = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', record);
    try {
      const client = await pool.connect();
      await client.query('BEGIN');
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // The transaction now waits on something else (a broker confirm) when the server ends it.
      await terminate(rows[0]!.pid);
      expect(uncaught).toEqual([]);
      await expect(client.query('COMMIT')).rejects.toThrow();
      client.release(true);
      const after = await pool.query<{ one: number }>('SELECT 1 AS one');
      expect(after.rows[0]!.one).toBe(1);
    } finally {
      process.off('uncaughtException', record);
      await pool.end();
    }
  });

  it('absorbs the error of an idle client and replaces it', async () => {
    const pool = createPool(db.url, { max: 1 });
    try {
      const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await terminate(rows[0]!.pid);
      const again = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      expect(again.rows[0]!.pid).not.toBe(rows[0]!.pid);
    } finally {
      await pool.end();
    }
  });
});
