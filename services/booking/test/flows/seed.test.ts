/** The demo seed: concierges for the demo locations, inserted once into an empty table. */
import { migrateService, seedService } from '@midas/runtime';
import { createTestEnv, type TestEnv } from '@midas/testing';
import { Pool } from 'pg';
import { bookingService } from '../../src/service';

let env: TestEnv;

beforeAll(async () => {
  env = await createTestEnv();
  await migrateService(bookingService, env.cfg);
});
afterAll(async () => {
  await env?.cleanup();
});

describe('demo seed', () => {
  it('adds concierges to an empty table once, and never on top of real staff', async () => {
    expect(await seedService(bookingService, env.cfg)).toBe(true);
    expect(await seedService(bookingService, env.cfg)).toBe(false);
    const pool = new Pool({ connectionString: env.cfg.DATABASE_URL, max: 1 });
    try {
      const rows = await pool.query<{ location: string }>('SELECT location FROM booking.concierges');
      expect(new Set(rows.rows.map((r) => r.location))).toEqual(new Set(['Monaco', 'Dubai', 'Aspen']));
      await pool.query('DELETE FROM booking.concierges');
      await pool.query(
        `INSERT INTO booking.concierges (id, name, email, location, capacity) VALUES ('real', 'Real Staff', 'r@x.io', 'Paris', 3)`,
      );
      expect(await seedService(bookingService, env.cfg)).toBe(false);
      expect((await pool.query('SELECT id FROM booking.concierges')).rows).toEqual([{ id: 'real' }]);
    } finally {
      await pool.end();
    }
  });
});
