import { createPool } from '@midas/db';
import { migrateService } from '@midas/runtime';
import { createTestEnv, type TestEnv } from '@midas/testing';
import { availabilityService } from '../../src/service';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
  await migrateService(availabilityService, env.cfg);
});
afterAll(() => env.cleanup());

describe('demo inventory', () => {
  it('fills an empty database with items of every type in several locations, once', async () => {
    const pool = createPool(env.cfg.DATABASE_URL, { max: 2 });
    try {
      expect(await availabilityService.seed!(pool)).toBe(true);
      const rows = (await pool.query('SELECT type, location, buffer_minutes FROM availability.items')).rows;
      expect(rows.length).toBeGreaterThanOrEqual(12);
      expect(new Set(rows.map((r) => r.type))).toEqual(new Set(['car', 'yacht', 'jet', 'property']));
      expect(new Set(rows.map((r) => r.location))).toEqual(new Set(['Monaco', 'Dubai', 'Aspen']));
      expect(rows.find((r) => r.type === 'property')?.buffer_minutes).toBe(720);
      expect(await availabilityService.seed!(pool)).toBe(false);
      expect((await pool.query('SELECT count(*)::int AS n FROM availability.items')).rows[0].n).toBe(
        rows.length,
      );
    } finally {
      await pool.end();
    }
  });
});
