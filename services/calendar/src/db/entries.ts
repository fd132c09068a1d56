/** SQL for calendar's projection of bookings and blackouts and their Google sync state. */
import { sql, type Tx } from '@midas/db';
import type { CalendarSyncState } from '@midas/contracts';
import type { CalendarEntry, EntryKind } from '../domain/entry';
import { firstRow } from './first-row';
import { toDate, toDateOrNull } from './values';

export interface EntryRow extends CalendarEntry {
  eventAt: Date;
  updatedAt: Date;
  syncState: CalendarSyncState;
  syncedSequence: number | null;
  calendarId: string | null;
  googleEventId: string | null;
  googleEtag: string | null;
  syncAttempts: number;
  syncError: string | null;
  syncedAt: Date | null;
  seq: number;
}

const COLUMNS = sql`kind, ref, item_id, item_type, timezone, start_at, end_at, status, summary, sequence, event_at,
  updated_at, sync_state, synced_sequence, calendar_id, google_event_id, google_etag, sync_attempts, sync_error,
  synced_at, seq`;

type RawRow = Record<string, unknown>;

export function entryOf(r: RawRow): EntryRow {
  return {
    kind: r.kind as EntryKind,
    ref: r.ref as string,
    itemId: r.item_id as string,
    itemType: (r.item_type as string | null) ?? null,
    timezone: r.timezone as string,
    start: toDate(r.start_at),
    end: toDate(r.end_at),
    status: r.status as string,
    summary: r.summary as string,
    sequence: Number(r.sequence),
    eventAt: toDate(r.event_at),
    updatedAt: toDate(r.updated_at),
    syncState: r.sync_state as CalendarSyncState,
    syncedSequence: r.synced_sequence === null ? null : Number(r.synced_sequence),
    calendarId: (r.calendar_id as string | null) ?? null,
    googleEventId: (r.google_event_id as string | null) ?? null,
    googleEtag: (r.google_etag as string | null) ?? null,
    syncAttempts: Number(r.sync_attempts),
    syncError: (r.sync_error as string | null) ?? null,
    syncedAt: toDateOrNull(r.synced_at),
    seq: Number(r.seq),
  };
}

export async function readEntry(
  tx: Tx,
  kind: EntryKind,
  ref: string,
  lock = false,
): Promise<EntryRow | undefined> {
  return firstRow(
    tx,
    sql`SELECT ${COLUMNS} FROM calendar.entries WHERE kind = ${kind} AND ref = ${ref} ${lock ? sql`FOR UPDATE` : sql``}`,
    entryOf,
  );
}

/** Inserts or replaces the projected fields of an entry; sync fields are left to `markSync*`. */
export async function saveEntry(tx: Tx, e: CalendarEntry, eventAt: Date): Promise<void> {
  await tx.execute(
    sql`INSERT INTO calendar.entries (kind, ref, item_id, item_type, timezone, start_at, end_at, status, summary, sequence, event_at)
        VALUES (${e.kind}, ${e.ref}, ${e.itemId}, ${e.itemType}, ${e.timezone}, ${e.start.toISOString()}, ${e.end.toISOString()},
                ${e.status}, ${e.summary}, ${e.sequence}, ${eventAt.toISOString()})
        ON CONFLICT (kind, ref) DO UPDATE SET
          item_id = excluded.item_id, item_type = excluded.item_type, timezone = excluded.timezone,
          start_at = excluded.start_at, end_at = excluded.end_at, status = excluded.status, summary = excluded.summary,
          sequence = excluded.sequence, event_at = excluded.event_at, updated_at = now()`,
  );
}

/**
 * Moves every entry of the item shown in another zone to `zone`, each with a new SEQUENCE (what a
 * subscriber or Google shows changes); returns the entries moved.
 */
export async function moveItemEntriesToZone(tx: Tx, itemId: string, zone: string): Promise<EntryRow[]> {
  const res = await tx.execute(
    sql`UPDATE calendar.entries SET timezone = ${zone}, sequence = sequence + 1, updated_at = now()
        WHERE item_id = ${itemId} AND timezone <> ${zone}
        RETURNING ${COLUMNS}`,
  );
  return res.rows.map(entryOf);
}

/** An entry's entries of one item, for its feed and for judging outside events. */
export async function listItemEntries(tx: Tx, itemId: string): Promise<EntryRow[]> {
  const res = await tx.execute(
    sql`SELECT ${COLUMNS} FROM calendar.entries WHERE item_id = ${itemId} ORDER BY start_at, ref`,
  );
  return res.rows.map(entryOf);
}

export async function markSyncPending(
  tx: Tx,
  kind: EntryKind,
  ref: string,
  calendarId: string,
): Promise<void> {
  await tx.execute(
    sql`UPDATE calendar.entries SET sync_state = 'pending', calendar_id = ${calendarId}, sync_error = NULL
        WHERE kind = ${kind} AND ref = ${ref}`,
  );
}

export async function markSynced(
  tx: Tx,
  kind: EntryKind,
  ref: string,
  outcome: { sequence: number; calendarId: string; googleEventId: string | null; etag: string | null },
): Promise<void> {
  await tx.execute(
    sql`UPDATE calendar.entries SET sync_state = CASE WHEN sequence = ${outcome.sequence} THEN 'synced' ELSE sync_state END,
          synced_sequence = ${outcome.sequence}, calendar_id = ${outcome.calendarId},
          google_event_id = ${outcome.googleEventId}, google_etag = ${outcome.etag},
          sync_attempts = sync_attempts + 1, sync_error = NULL, synced_at = now()
        WHERE kind = ${kind} AND ref = ${ref}`,
  );
}

/** The item left its calendar: its entries are no longer anywhere in Google. */
export async function clearItemSync(tx: Tx, itemId: string): Promise<void> {
  await tx.execute(
    sql`UPDATE calendar.entries SET sync_state = 'idle', calendar_id = NULL, google_event_id = NULL,
          google_etag = NULL, synced_sequence = NULL, sync_error = NULL, sync_attempts = 0
        WHERE item_id = ${itemId}`,
  );
}

export async function markSyncAttempt(
  tx: Tx,
  kind: EntryKind,
  ref: string,
  error: string,
  final: boolean,
): Promise<void> {
  await tx.execute(
    sql`UPDATE calendar.entries SET sync_attempts = sync_attempts + 1, sync_error = ${error.slice(0, 2000)},
          sync_state = ${final ? 'failed' : 'pending'}
        WHERE kind = ${kind} AND ref = ${ref}`,
  );
}

export interface EntryFilter {
  itemId?: string;
  /** One booking. */
  bookingId?: string;
  itemType?: string;
  from?: Date;
  to?: Date;
}

function filterSql(f: EntryFilter) {
  return sql`TRUE
    ${f.itemId ? sql`AND e.item_id = ${f.itemId}` : sql``}
    ${f.bookingId ? sql`AND e.kind = 'booking' AND e.ref = ${f.bookingId}` : sql``}
    ${f.itemType ? sql`AND e.item_type = ${f.itemType}` : sql``}
    ${f.from ? sql`AND e.end_at > ${f.from.toISOString()}` : sql``}
    ${f.to ? sql`AND e.start_at < ${f.to.toISOString()}` : sql``}`;
}

/** Entries of linked items matching the filter, with their link's calendar: what a bulk sync queues. */
export async function listLinkedEntries(
  tx: Tx,
  f: EntryFilter,
): Promise<{ kind: EntryKind; ref: string; sequence: number; calendarId: string }[]> {
  const res = await tx.execute(
    sql`SELECT e.kind, e.ref, e.sequence, l.calendar_id FROM calendar.entries e
          JOIN calendar.links l ON l.item_id = e.item_id
        WHERE ${filterSql(f)} ORDER BY e.seq`,
  );
  return res.rows.map((r) => ({
    kind: r.kind as EntryKind,
    ref: r.ref as string,
    sequence: Number(r.sequence),
    calendarId: r.calendar_id as string,
  }));
}

export async function countBySyncState(tx: Tx): Promise<Record<CalendarSyncState, number>> {
  const res = await tx.execute(
    sql`SELECT sync_state, count(*)::int AS n FROM calendar.entries GROUP BY sync_state`,
  );
  const counts: Record<CalendarSyncState, number> = { idle: 0, pending: 0, synced: 0, failed: 0 };
  for (const r of res.rows) counts[r.sync_state as CalendarSyncState] = Number(r.n);
  return counts;
}

export async function listEntryPage(
  tx: Tx,
  q: { state?: CalendarSyncState; itemId?: string; afterSeq?: number; limit: number },
): Promise<{ items: EntryRow[]; nextSeq: number | null }> {
  const res = await tx.execute(
    sql`SELECT ${COLUMNS} FROM calendar.entries
        WHERE TRUE ${q.state ? sql`AND sync_state = ${q.state}` : sql``}
          ${q.itemId ? sql`AND item_id = ${q.itemId}` : sql``}
          ${q.afterSeq !== undefined ? sql`AND seq > ${q.afterSeq}` : sql``}
        ORDER BY seq LIMIT ${q.limit + 1}`,
  );
  const rows = res.rows.map(entryOf);
  const more = rows.length > q.limit;
  const items = rows.slice(0, q.limit);
  return { items, nextSeq: more ? (items[items.length - 1]?.seq ?? null) : null };
}
