/**
 * Parameterised statements are prepared once per connection (named by a hash of their text), so
 * PostgreSQL parses them once and can keep their plan; statements without parameters, texts with
 * `*`, and texts past a connection's cap are left unnamed. Read back from the connection's own
 * `pg_prepared_statements`.
 */
import { eq } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createTestDatabase, type TestDatabase } from '@midas/testing';
import { createDb, createPool, type Pool } from '../src';
import { MAX_PER_CONNECTION } from '../src/prepared';

const things = pgTable('things', { id: integer('id').primaryKey(), name: text('name').notNull() });

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  // One connection, so every statement below runs on the session whose prepared statements are read.
  pool = createPool(db.url, { max: 1 });
  await pool.query('CREATE TABLE things (id int PRIMARY KEY, name text NOT NULL)');
  await pool.query(`INSERT INTO things SELECT g, 'thing ' || g FROM generate_series(1, 50) g`);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const preparedStatements = async () =>
  (await pool.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements')).rows.map(
    (r) => r.statement,
  );

it('prepares a parameterised drizzle query once and runs it again without parsing it', async () => {
  const orm = createDb(pool, {});
  for (const id of [1, 2, 3]) {
    const [row] = await orm.select().from(things).where(eq(things.id, id));
    expect(row).toEqual({ id, name: `thing ${id}` });
  }
  const statements = (await preparedStatements()).filter((s) => s.includes('"things"'));
  expect(statements).toHaveLength(1);
  expect(statements[0]).toContain('where "things"."id" = $1');
  // Inside a transaction too, and an error in one leaves the session's statements usable.
  await expect(
    orm.transaction(async (tx) => {
      await tx.select().from(things).where(eq(things.id, 4));
      await tx.insert(things).values({ id: 1, name: 'duplicate' });
    }),
  ).rejects.toThrow();
  const [row] = await orm.select().from(things).where(eq(things.id, 5));
  expect(row).toEqual({ id: 5, name: 'thing 5' });
  expect((await preparedStatements()).filter((s) => s.includes('"things"'))).toHaveLength(2);
});

it('leaves statements without parameters and texts with * unnamed', async () => {
  const before = (await preparedStatements()).length;
  await pool.query('SELECT count(*) FROM things WHERE id > $1', [10]);
  await pool.query('SELECT * FROM things WHERE id = $1', [1]);
  await pool.query('SELECT name FROM things WHERE id = 7');
  expect((await preparedStatements()).length).toBe(before);
});

it('stops naming new texts once a connection holds its cap, and still runs them', async () => {
  for (let n = 0; n < MAX_PER_CONNECTION + 5; n++) {
    const { rows } = await pool.query<{ name: string }>(
      `SELECT name FROM things WHERE id = $1 AND ${n} = ${n}`,
      [(n % 50) + 1],
    );
    expect(rows[0]?.name).toBe(`thing ${(n % 50) + 1}`);
  }
  expect((await preparedStatements()).length).toBe(MAX_PER_CONNECTION);
});
