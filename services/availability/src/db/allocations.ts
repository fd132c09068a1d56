/**
 * SQL for allocations, the one table of occupied time. Writes insert with ON CONFLICT DO
 * NOTHING so the exclusion constraint answers "taken" as "no row" instead of an error (a plain
 * INSERT under contention deadlocks and is several times slower); updates that move a range
 * let the constraint raise 23P01, which callers map to 409.
 */
import type { SQL } from 'drizzle-orm';
import { sql, type Tx } from '@midas/db';
import type { Pool } from 'pg';
import type { AllocationKind } from '../domain/reasons';
import type { Period } from '../domain/period';
import { toDate, toDateOrNull } from './time';

export interface Allocation {
  id: string;
  itemId: string;
  kind: AllocationKind;
  ref: string | null;
  holderSub: string | null;
  holderTokenHash: string | null;
  period: Period;
  blocked: Period;
  expiresAt: Date | null;
  active: boolean;
  endedReason: string | null;
  note: string | null;
}

const COLUMNS = sql.raw(`id, item_id, kind, ref, holder_sub, holder_token_hash,
  lower(period) AS period_start, upper(period) AS period_end, upper(blocked) AS blocked_end,
  expires_at, active, ended_reason, note`);

type RawRow = Record<string, unknown>;

function toAllocation(r: RawRow): Allocation {
  const start = toDate(r.period_start as string);
  return {
    id: r.id as string,
    itemId: r.item_id as string,
    kind: r.kind as AllocationKind,
    ref: (r.ref as string | null) ?? null,
    holderSub: (r.holder_sub as string | null) ?? null,
    holderTokenHash: (r.holder_token_hash as string | null) ?? null,
    period: { start, end: toDate(r.period_end as string) },
    blocked: { start, end: toDate(r.blocked_end as string) },
    expiresAt: toDateOrNull(r.expires_at as string | null),
    active: r.active as boolean,
    endedReason: (r.ended_reason as string | null) ?? null,
    note: (r.note as string | null) ?? null,
  };
}

async function rows(db: Tx, query: ReturnType<typeof sql>): Promise<Allocation[]> {
  const result = await db.execute(query);
  return (result.rows as RawRow[]).map(toAllocation);
}

const ACTIVE_HOLD = sql`AND active AND kind = 'hold'`;

/**
 * Changes the allocation `id` (when `also` holds too) and stamps updated_at; the row as it is now,
 * or undefined when it did not match.
 */
async function updateOne(db: Tx, id: string, set: SQL, also: SQL = sql``): Promise<Allocation | undefined> {
  const [row] = await rows(
    db,
    sql`UPDATE availability.allocations SET ${set}, updated_at = now() WHERE id = ${id} ${also} RETURNING ${COLUMNS}`,
  );
  return row;
}

export interface NewAllocation {
  itemId: string;
  kind: AllocationKind;
  period: Period;
  bufferMinutes: number;
  ref?: string | null;
  holderSub?: string | null;
  holderTokenHash?: string | null;
  /** A guest's address, which the live-hold cap counts by. */
  holderIp?: string | null;
  /** Holds only: seconds from the database's now. */
  ttlSeconds?: number;
  note?: string | null;
  createdBy?: string | null;
}

/** Inserts the row, or returns undefined when an active row of the item already blocks that time. */
export async function insertAllocation(db: Tx, a: NewAllocation): Promise<Allocation | undefined> {
  const expiresAt =
    a.ttlSeconds === undefined ? sql`NULL` : sql`now() + make_interval(secs => ${a.ttlSeconds})`;
  const [row] = await rows(
    db,
    sql`INSERT INTO availability.allocations
          (item_id, kind, ref, holder_sub, holder_token_hash, holder_ip, period, blocked, expires_at, note, created_by)
        VALUES (${a.itemId}, ${a.kind}, ${a.ref ?? null}, ${a.holderSub ?? null}, ${a.holderTokenHash ?? null},
          ${a.holderIp ?? null},
          tstzrange(${a.period.start.toISOString()}::timestamptz, ${a.period.end.toISOString()}::timestamptz),
          tstzrange(${a.period.start.toISOString()}::timestamptz,
                    ${a.period.end.toISOString()}::timestamptz + make_interval(mins => ${a.bufferMinutes})),
          ${expiresAt}, ${a.note ?? null}, ${a.createdBy ?? null})
        ON CONFLICT DO NOTHING
        RETURNING ${COLUMNS}`,
  );
  return row;
}

/** Gives a guest's hold a new holdToken hash (a replayed POST /v1/holds hands out a fresh token). */
export async function replaceHolderToken(db: Tx, holdId: string, tokenHash: string): Promise<void> {
  await db.execute(
    sql`UPDATE availability.allocations SET holder_token_hash = ${tokenHash}
        WHERE id = ${holdId} AND holder_token_hash IS NOT NULL`,
  );
}

/**
 * Ends every active hold whose time has come, of one item or (for the sweep) of all items,
 * oldest first. Each row flips once, so whoever flips it publishes its `hold.expired` once.
 */
export async function deactivateLapsedHolds(
  db: Tx,
  opts: { itemId?: string; limit?: number } = {},
): Promise<Allocation[]> {
  const byItem = opts.itemId ? sql`AND item_id = ${opts.itemId}` : sql``;
  return rows(
    db,
    sql`UPDATE availability.allocations
        SET active = false, ended_reason = 'expired', ended_at = now(), updated_at = now()
        WHERE id IN (
          SELECT id FROM availability.allocations
          WHERE active AND kind = 'hold' AND expires_at <= now() ${byItem}
          ORDER BY expires_at
          LIMIT ${opts.limit ?? 1000}
          FOR UPDATE SKIP LOCKED)
        RETURNING ${COLUMNS}`,
  );
}

/** Ends one hold if it has lapsed (the delayed job's path). */
export async function deactivateHoldIfLapsed(db: Tx, id: string): Promise<Allocation | undefined> {
  return updateOne(
    db,
    id,
    sql`active = false, ended_reason = 'expired', ended_at = now()`,
    sql`AND active AND kind = 'hold' AND expires_at <= now()`,
  );
}

export async function findAllocation(
  db: Tx,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<Allocation | undefined> {
  const lock = opts.forUpdate ? sql`FOR UPDATE` : sql``;
  const [row] = await rows(db, sql`SELECT ${COLUMNS} FROM availability.allocations WHERE id = ${id} ${lock}`);
  return row;
}

/** The rows of a booking (its hold or booked slot), newest first, locked for change. */
export async function findByRef(db: Tx, ref: string): Promise<Allocation[]> {
  return rows(
    db,
    sql`SELECT ${COLUMNS} FROM availability.allocations
        WHERE ref = ${ref} AND kind IN ('hold', 'booking')
        ORDER BY created_at DESC
        FOR UPDATE`,
  );
}

/** Active rows of an item blocking any of `range`, locked so they cannot change while a blackout is decided. */
export async function lockOverlapping(db: Tx, itemId: string, range: Period): Promise<Allocation[]> {
  return rows(
    db,
    sql`SELECT ${COLUMNS} FROM availability.allocations
        WHERE item_id = ${itemId} AND active
          AND blocked && tstzrange(${range.start.toISOString()}::timestamptz, ${range.end.toISOString()}::timestamptz)
        ORDER BY lower(period)
        FOR UPDATE`,
  );
}

export async function deactivate(db: Tx, id: string, reason: string): Promise<Allocation | undefined> {
  return updateOne(db, id, sql`active = false, ended_reason = ${reason}, ended_at = now()`, sql`AND active`);
}

/** Turns a hold into a booked slot in place: same row, same range, no expiry. */
export async function convertToBooking(db: Tx, id: string, ref: string): Promise<Allocation | undefined> {
  return updateOne(db, id, sql`kind = 'booking', ref = ${ref}, expires_at = NULL`, ACTIVE_HOLD);
}

/** Points a hold at a booking and gives it a new lifetime (a booking adopting a guest's hold). */
export async function adoptHold(
  db: Tx,
  id: string,
  ref: string | null,
  ttlSeconds: number,
): Promise<Allocation | undefined> {
  return updateOne(
    db,
    id,
    sql`ref = coalesce(${ref}, ref), expires_at = now() + make_interval(secs => ${ttlSeconds})`,
    ACTIVE_HOLD,
  );
}

/**
 * Gives a row a new range (and makes it active again, for a booking a forced blackout had
 * displaced). The exclusion constraint judges the new range: 23P01 when it is taken.
 */
export async function moveAllocation(
  db: Tx,
  id: string,
  period: Period,
  bufferMinutes: number,
): Promise<Allocation | undefined> {
  const start = period.start.toISOString();
  const end = period.end.toISOString();
  return updateOne(
    db,
    id,
    sql`period = tstzrange(${start}::timestamptz, ${end}::timestamptz),
        blocked = tstzrange(${start}::timestamptz, ${end}::timestamptz + make_interval(mins => ${bufferMinutes})),
        active = true, ended_reason = NULL, ended_at = NULL`,
  );
}

/**
 * Frees the part of a booked slot from `from` on (a no-show frees the rest of its period):
 * the row keeps [start, from) without a buffer, or ends when nothing is left.
 */
export async function truncateFrom(db: Tx, id: string, from: Date): Promise<Allocation | undefined> {
  const at = from.toISOString();
  return updateOne(
    db,
    id,
    sql`period = CASE WHEN ${at}::timestamptz > lower(period) AND ${at}::timestamptz < upper(period)
                      THEN tstzrange(lower(period), ${at}::timestamptz) ELSE period END,
        blocked = CASE WHEN ${at}::timestamptz > lower(period) AND ${at}::timestamptz < upper(period)
                       THEN tstzrange(lower(period), ${at}::timestamptz) ELSE blocked END,
        active = ${at}::timestamptz > lower(period),
        ended_reason = CASE WHEN ${at}::timestamptz > lower(period) THEN NULL ELSE 'released' END,
        ended_at = CASE WHEN ${at}::timestamptz > lower(period) THEN NULL ELSE now() END`,
    sql`AND active`,
  );
}

/** Active rows of an item that block any of [from, to), for its calendar. */
export async function calendarRows(pool: Pool, itemId: string, window: Period): Promise<Allocation[]> {
  const result = await pool.query({
    name: 'availability-calendar',
    text: `SELECT id, item_id, kind, ref, holder_sub, holder_token_hash,
             lower(period) AS period_start, upper(period) AS period_end, upper(blocked) AS blocked_end,
             expires_at, active, ended_reason, note
           FROM availability.allocations
           WHERE item_id = $1 AND active AND blocked && tstzrange($2::timestamptz, $3::timestamptz)
           ORDER BY lower(period)`,
    values: [itemId, window.start, window.end],
  });
  return result.rows.map(toAllocation);
}
