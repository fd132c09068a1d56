/**
 * `npm run reconcile -- bookings availability calendar` against a database whose services'
 * records are planted by hand: consistent ones give exit 0, each planted difference is listed by
 * kind with exit 1, and the sessions it uses cannot write.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Pool } from 'pg';
import { createTestEnv, type TestEnv } from '@midas/testing';
import { readOnlyPool } from '../src/consistency-sections';
import { prepareDatabase } from '../src/prepare';

const RECONCILE = path.resolve(__dirname, '../dist/reconcile.js');
const H = 3_600_000;
const at = (hours: number) => new Date(Date.now() + hours * H).toISOString();

let env: TestEnv;
let pool: Pool;

function reconcile(...sections: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [RECONCILE, ...sections], {
      env: { ...process.env, DATABASE_URL: env.cfg.DATABASE_URL, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

async function item(): Promise<string> {
  const id = randomUUID();
  await pool.query(
    `INSERT INTO availability.items (id, type, name, location, timezone, currency, rate_unit, rate_amount,
       buffer_minutes, min_notice_minutes, min_duration, max_duration, active)
     VALUES ($1, 'car', 'Planted car', 'riviera', 'Europe/Paris', 'EUR', 'day', 10000, 120, 0, 'PT1H', 'P30D', true)`,
    [id],
  );
  return id;
}

interface Planted {
  status: string;
  start: string;
  end: string;
  paid?: boolean;
  slot?: 'booking' | 'hold' | 'none';
  slotActive?: boolean;
  calendar?: string | 'none';
  synced?: boolean;
}

async function booking(itemId: string, p: Planted): Promise<string> {
  const id = randomUUID();
  await pool.query(
    `INSERT INTO booking.bookings (id, status, item_id, item_type, item_name, location, timezone, start_at, end_at,
       tier, add_ons, currency, total, price_lines, customer_id, payment_provider)
     VALUES ($1, $2, $3, 'car', 'Planted car', 'riviera', 'Europe/Paris', $4, $5, 'standard', '[]', 'EUR', 10000, '[]', 'cust-1', 'stripe')`,
    [id, p.status, itemId, p.start, p.end],
  );
  if (p.paid ?? true)
    await pool.query(
      `INSERT INTO booking.payments (id, booking_id, kind, purpose, provider, amount, currency, status, requested_by_role)
       VALUES ($1, $2, 'charge', 'booking', 'stripe', 10000, 'EUR', 'succeeded', 'customer')`,
      [randomUUID(), id],
    );
  if ((p.slot ?? 'booking') !== 'none')
    await pool.query(
      `INSERT INTO availability.allocations (item_id, kind, ref, period, blocked, expires_at, active, ended_at, ended_reason)
       VALUES ($1, $2, $3, tstzrange($4, $5), tstzrange($4, $5::timestamptz + interval '2 hours'), $6, $7,
               CASE WHEN $7 THEN NULL ELSE now() END, CASE WHEN $7 THEN NULL ELSE 'cancelled' END)`,
      [
        itemId,
        p.slot ?? 'booking',
        id,
        p.start,
        p.end,
        p.slot === 'hold' ? at(1) : null,
        p.slotActive ?? true,
      ],
    );
  if (p.calendar !== 'none')
    await pool.query(
      `INSERT INTO calendar.entries (kind, ref, item_id, item_type, timezone, start_at, end_at, status, summary,
         sequence, event_at, sync_state, synced_sequence)
       VALUES ('booking', $1, $2, 'car', 'Europe/Paris', $3, $4, $5, 'Planted car MD-x', 1, now(), $6, $7)`,
      [
        id,
        itemId,
        p.start,
        p.end,
        p.calendar ?? p.status,
        p.synced === false ? 'failed' : 'synced',
        p.synced === false ? 0 : 1,
      ],
    );
  return id;
}

beforeAll(async () => {
  env = await createTestEnv();
  await prepareDatabase(env.cfg, () => undefined, false);
  pool = new Pool({ connectionString: env.cfg.DATABASE_URL, max: 2 });
}, 120_000);
afterAll(async () => {
  await pool?.end();
  await env?.cleanup();
});

describe('npm run reconcile: bookings, availability, calendar', () => {
  let consistent: string;
  let linkedItem: string;

  it('finds no difference in consistent records and exits 0', async () => {
    linkedItem = await item();
    await pool.query(`INSERT INTO calendar.links (item_id, calendar_id) VALUES ($1, 'cal-1')`, [linkedItem]);
    consistent = await booking(linkedItem, { status: 'confirmed', start: at(24), end: at(48) });
    await booking(linkedItem, { status: 'cancelled', start: at(60), end: at(70), slotActive: false });
    await booking(linkedItem, { status: 'completed', start: at(-50), end: at(-40) });
    await booking(linkedItem, {
      status: 'pending_payment',
      start: at(100),
      end: at(110),
      paid: false,
      slot: 'hold',
    });

    const { code, out } = await reconcile('bookings', 'availability', 'calendar');
    expect(out).toContain('bookings: no differences');
    expect(out).toContain('availability: no differences');
    expect(out).toContain('calendar: no differences');
    expect(code).toBe(0);
  }, 60_000);

  it('lists each planted difference by kind and exits 1', async () => {
    const other = await item();
    const freedButHeld = await booking(other, { status: 'cancelled', start: at(24), end: at(30) });
    const unpaid = await booking(other, {
      status: 'confirmed',
      start: at(40),
      end: at(44),
      paid: false,
      calendar: 'none',
    });
    const noSlot = await booking(other, {
      status: 'concierge_assigned',
      start: at(60),
      end: at(64),
      slot: 'none',
    });
    const shownCancelled = await booking(other, {
      status: 'confirmed',
      start: at(80),
      end: at(84),
      calendar: 'cancelled',
    });
    const unwritten = await booking(linkedItem, {
      status: 'confirmed',
      start: at(200),
      end: at(210),
      synced: false,
    });
    // Two live rows over each other: only possible once the exclusion constraint is gone.
    await pool.query('ALTER TABLE availability.allocations DROP CONSTRAINT allocations_no_overlap');
    await pool.query(
      `INSERT INTO availability.allocations (item_id, kind, period, blocked, active)
       VALUES ($1, 'blackout', tstzrange($2, $3), tstzrange($2, $3), true), ($1, 'blackout', tstzrange($4, $5), tstzrange($4, $5), true)`,
      [other, at(300), at(310), at(305), at(320)],
    );

    const { code, out } = await reconcile('bookings', 'availability', 'calendar');
    const lines = out.split('\n');
    const line = (section: string, kind: string, id?: string) =>
      lines.filter((l) => l.startsWith(`${section}: ${kind}:`) && (!id || l.includes(id)));
    expect(line('bookings', 'freed_slot_held', freedButHeld)).toHaveLength(1);
    expect(line('bookings', 'unpaid_confirmed', unpaid)).toHaveLength(1);
    expect(line('bookings', 'slot_missing', noSlot)).toHaveLength(1);
    expect(line('availability', 'orphan_slot', freedButHeld)).toHaveLength(1);
    expect(line('availability', 'overlap')).toHaveLength(1);
    expect(line('calendar', 'calendar_missing', unpaid)).toHaveLength(1);
    expect(line('calendar', 'calendar_status', shownCancelled)).toHaveLength(1);
    expect(line('calendar', 'calendar_not_written', unwritten)).toHaveLength(1);
    expect(out).not.toContain(consistent);
    expect(out).toContain('bookings: 3 differences');
    expect(out).toContain('availability: 2 differences');
    expect(out).toContain('calendar: 3 differences');
    expect(code).toBe(1);
  }, 60_000);

  it('exits 2 naming the section when the database cannot be read', async () => {
    const child = spawn(process.execPath, [RECONCILE, 'bookings'], {
      env: { ...process.env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('bookings: could not reconcile');
  }, 30_000);

  it('reads through sessions that refuse to write', async () => {
    const ro = readOnlyPool(env.cfg.DATABASE_URL);
    try {
      await expect(ro.query(`UPDATE booking.bookings SET status = 'expired'`)).rejects.toThrow(/read-only/);
    } finally {
      await ro.end();
    }
  });
});
