/**
 * The `bookings`, `availability` and `calendar` sections of `npm run reconcile`: one snapshot of
 * booking's, availability's and calendar's records, read in a single READ ONLY, REPEATABLE READ
 * transaction on a session whose every transaction is read-only, then compared by the pure rules
 * of domain/consistency.ts. It never writes. Bookings in the window are those not yet over, or
 * created or ending within it.
 */
import { createPool, type Pool } from '@midas/db';
import type { Config } from '@midas/config';
import {
  compareAllocations,
  compareBookings,
  compareCalendar,
  countKinds,
  describe,
  type AllocationFact,
  type BookingFact,
  type CalendarEntryFact,
  type ConsistencyDifference,
} from './domain/consistency';

export interface ConsistencyReport {
  differences: string[];
  counts: Record<string, number>;
  summary: string;
}

export interface Snapshot {
  now: Date;
  bookings: BookingFact[];
  allocations: AllocationFact[];
  entries: Map<string, CalendarEntryFact>;
}

/** A pool whose sessions can only read. */
export function readOnlyPool(databaseUrl: string): Pool {
  return createPool(databaseUrl, {
    max: 1,
    application_name: 'midas-reconcile',
    options: '-c default_transaction_read_only=on',
  });
}

export async function readSnapshot(pool: Pool, since: Date): Promise<Snapshot> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const now = new Date((await client.query<{ now: Date }>('SELECT now() AS now')).rows[0]!.now);
    const bookings = await client.query(
      `SELECT b.id, b.status, b.item_id, b.start_at, b.end_at, b.hold_expires_at,
              EXISTS (SELECT 1 FROM booking.pending_changes c WHERE c.booking_id = b.id AND c.status = 'pending') AS pending_change,
              (SELECT max(h.at) FROM booking.status_history h WHERE h.booking_id = b.id AND h.to_status = 'no_show') AS no_show_at,
              coalesce((SELECT json_agg(json_build_object('kind', p.kind, 'status', p.status, 'amount', p.amount))
                          FROM booking.payments p WHERE p.booking_id = b.id), '[]') AS payments
         FROM booking.bookings b
        WHERE b.end_at >= $1 OR b.created_at >= $1 OR b.status IN ('pending_payment', 'confirmed', 'concierge_assigned', 'ready', 'in_progress')`,
      [since],
    );
    const allocations = await client.query(
      `SELECT id, item_id, kind, ref, active, lower(period) AS start_at, upper(period) AS end_at,
              upper(blocked) AS blocked_end, expires_at
         FROM availability.allocations
        WHERE active OR upper(period) >= $1`,
      [since],
    );
    const entries = await client.query(
      `SELECT e.ref, e.status, e.start_at, e.end_at, e.sequence, e.synced_sequence, e.sync_state,
              (l.item_id IS NOT NULL) AS linked
         FROM calendar.entries e LEFT JOIN calendar.links l ON l.item_id = e.item_id
        WHERE e.kind = 'booking' AND e.end_at >= $1`,
      [since],
    );
    await client.query('COMMIT');
    return {
      now,
      bookings: bookings.rows.map((r) => ({
        id: r.id,
        status: r.status,
        itemId: r.item_id,
        start: new Date(r.start_at),
        end: new Date(r.end_at),
        holdExpiresAt: r.hold_expires_at ? new Date(r.hold_expires_at) : null,
        pendingChange: r.pending_change,
        noShowAt: r.no_show_at ? new Date(r.no_show_at) : null,
        payments: (r.payments as { kind: string; status: string; amount: number | string }[]).map((p) => ({
          ...p,
          amount: Number(p.amount),
        })),
      })),
      allocations: allocations.rows.map((r) => ({
        id: r.id,
        itemId: r.item_id,
        kind: r.kind,
        ref: r.ref,
        active: r.active,
        start: new Date(r.start_at),
        end: new Date(r.end_at),
        blockedEnd: new Date(r.blocked_end),
        expiresAt: r.expires_at ? new Date(r.expires_at) : null,
      })),
      entries: new Map(
        entries.rows.map((r) => [
          r.ref as string,
          {
            ref: r.ref,
            status: r.status,
            start: new Date(r.start_at),
            end: new Date(r.end_at),
            sequence: r.sequence,
            syncedSequence: r.synced_sequence,
            syncState: r.sync_state,
            linked: r.linked,
          },
        ]),
      ),
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export type ConsistencySection = 'bookings' | 'availability' | 'calendar';

/** How long an unpaid booking may outlive its hold before `bookings` calls it overdue. */
export const EXPIRY_GRACE_MS = 10 * 60_000;

export function checkSnapshot(
  section: ConsistencySection,
  s: Snapshot,
  opts: { expiryGraceMs?: number } = {},
): ConsistencyDifference[] {
  switch (section) {
    case 'bookings':
      return compareBookings(s.bookings, s.allocations, {
        now: s.now,
        expiryGraceMs: opts.expiryGraceMs ?? EXPIRY_GRACE_MS,
      });
    case 'availability':
      return compareAllocations(
        s.allocations,
        new Map(s.bookings.map((b) => [b.id, { status: b.status, noShowAt: b.noShowAt }])),
        { now: s.now },
      );
    case 'calendar':
      return compareCalendar(s.bookings, s.entries, { now: s.now });
  }
}

function report(section: ConsistencySection, s: Snapshot, since: Date): ConsistencyReport {
  const diffs = checkSnapshot(section, s);
  const what = {
    bookings: `${s.bookings.length} bookings against ${s.allocations.length} allocations and their payments`,
    availability: `${s.allocations.filter((a) => a.active).length} active allocations (overlaps, buffers included; booked slots against bookings)`,
    calendar: `${s.bookings.filter((b) => b.end > s.now).length} bookings not yet over against ${s.entries.size} calendar entries`,
  }[section];
  return {
    differences: diffs.map(describe),
    counts: countKinds(diffs),
    summary: `since ${since.toISOString()}: ${what}`,
  };
}

export function consistencySection(section: ConsistencySection) {
  return async (cfg: Config, opts: { since: Date }): Promise<ConsistencyReport> => {
    const pool = readOnlyPool(cfg.DATABASE_URL);
    try {
      return report(section, await readSnapshot(pool, opts.since), opts.since);
    } finally {
      await pool.end();
    }
  };
}
