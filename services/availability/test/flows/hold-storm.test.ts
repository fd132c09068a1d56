/**
 * "Zero double bookings" under load, through the real entry point: many concurrent holds for one
 * slot through the gateway, then the database itself is asked whether any active rows overlap.
 */
import { Pool } from 'pg';
import { startGateway, type RunningGateway } from '../../../gateway/src/gateway';
import { startAvailability, createItem, at, type Harness } from '../harness';

let h: Harness;
let gateway: RunningGateway;
let pool: Pool;
let base: string;

beforeAll(async () => {
  h = await startAvailability();
  gateway = await startGateway(
    {
      ...h.env.cfg,
      AVAILABILITY_URL: h.url,
      RATE_LIMIT_GUEST_PER_MIN: 0,
      RATE_LIMIT_USER_PER_MIN: 0,
      RATE_LIMIT_HOLDS_PER_MIN: 0,
    },
    { port: 0 },
  );
  base = `http://127.0.0.1:${gateway.port}`;
  pool = new Pool({ connectionString: h.env.cfg.DATABASE_URL, max: 2 });
});
afterAll(async () => {
  await pool.end();
  await gateway.stop();
  await h.stop();
});

async function hold(body: {
  itemId: string;
  start: string;
  end: string;
}): Promise<{ status: number; body: { id?: string; code?: string } }> {
  const res = await fetch(`${base}/v1/holds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { id?: string; code?: string } };
}

async function overlappingActivePairs(): Promise<number> {
  const result = await pool.query<{ n: string }>(
    `SELECT count(*) AS n
     FROM availability.allocations a
     JOIN availability.allocations b ON a.item_id = b.item_id AND a.id < b.id AND a.blocked && b.blocked
     WHERE a.active AND b.active`,
  );
  return Number(result.rows[0]!.n);
}

describe('a storm of holds through the gateway', () => {
  it('grants exactly one of 200 concurrent holds for the same slot, 20 times over', async () => {
    const item = await createItem(h);
    let busyInAll = 0;
    for (let round = 0; round < 20; round++) {
      const slot = { itemId: item.id, start: at(3 + round, '10:00'), end: at(3 + round, '14:00') };
      const results = await Promise.all(Array.from({ length: 200 }, () => hold(slot)));
      // Every answer by status and problem code, so a failure says what the others got. Exactly
      // one is granted; the others are refused as taken, or, when the machine stalls long enough
      // for the pool's wait to run out, told to come back (503 database_busy), never an error.
      const answers: Record<string, number> = {};
      for (const r of results) {
        const key = r.status === 201 ? '201' : `${r.status} ${r.body.code}`;
        answers[key] = (answers[key] ?? 0) + 1;
      }
      const { ['503 database_busy']: busy = 0, ...rest } = answers;
      busyInAll += busy;
      expect({ round, answers: rest }).toEqual({
        round,
        answers: { '201': 1, '409 slot_taken': 199 - busy },
      });
    }
    expect(await overlappingActivePairs()).toBe(0);
    const held = await pool.query(
      'SELECT count(*)::int AS n FROM availability.allocations WHERE item_id = $1 AND active',
      [item.id],
    );
    expect(held.rows[0].n).toBe(20);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/midas_availability_holds_total\{[^}]*outcome="granted"[^}]*\} 20\b/);
    // A request told to come back (503) never reached the slot: it is not counted as taken.
    expect(metrics).toMatch(
      new RegExp(`midas_availability_holds_total\\{[^}]*outcome="taken"[^}]*\\} ${3980 - busyInAll}\\b`),
    );
  }, 300_000);

  it('never grants two overlapping holds among 200 concurrent requests for random ranges of one day', async () => {
    const item = await createItem(h, { minDuration: 'PT15M' });
    const slots = Array.from({ length: 200 }, () => {
      const startMin = Math.floor(Math.random() * 20 * 60);
      const length = 15 + Math.floor(Math.random() * 180);
      const start = new Date(Date.parse(at(40, '00:00')) + startMin * 60_000);
      return {
        itemId: item.id,
        start: start.toISOString(),
        end: new Date(start.getTime() + length * 60_000).toISOString(),
      };
    });
    const results = await Promise.all(slots.map(hold));
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const granted = slots.filter((_, i) => results[i]!.status === 201);
    expect(granted.length).toBeGreaterThan(0);
    // Granted ranges, each followed by the car's 2-hour buffer, never overlap one another.
    const blocked = granted
      .map((s) => [Date.parse(s.start), Date.parse(s.end) + 120 * 60_000] as const)
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < blocked.length; i++)
      expect(blocked[i]![0]).toBeGreaterThanOrEqual(blocked[i - 1]![1]);
    expect(await overlappingActivePairs()).toBe(0);
  }, 120_000);
});
