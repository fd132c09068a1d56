/**
 * SQL for outside events (reported by calendar) and the blackouts that hold their time: blackout
 * allocations created by 'calendar' with the reason 'external'.
 */
import { sql, type Tx } from '@midas/db';
import type { OtherOccupation } from '../domain/outside-blocks';
import type { Period } from '../domain/period';
import type { AllocationKind } from '../domain/reasons';
import { toDate, toDateOrNull } from './time';

/** Who creates outside-event blackouts, and the reason they carry. */
export const OUTSIDE_CREATOR = 'calendar';
export const OUTSIDE_REASON = 'external';

export type OutsideState = 'blocking' | 'conflict' | 'withdrawn';

export interface OutsideEventRow {
  source: string;
  itemId: string;
  calendarId: string;
  eventId: string;
  revision: number;
  period: Period | null;
  summary: string;
  state: OutsideState;
  conflictBookingIds: string[] | null;
}

/** Google events are `google:<calendar>/<event>`; imported feeds' (calendar `ical:<feed>`) `ical:<feed>/<UID>`. */
export function outsideSource(calendarId: string, eventId: string): string {
  return calendarId.startsWith('ical:') ? `${calendarId}/${eventId}` : `google:${calendarId}/${eventId}`;
}

function rowOf(r: Record<string, unknown>): OutsideEventRow {
  const start = toDateOrNull(r.start_at as string | null);
  const end = toDateOrNull(r.end_at as string | null);
  return {
    source: r.source as string,
    itemId: r.item_id as string,
    calendarId: r.calendar_id as string,
    eventId: r.event_id as string,
    revision: Number(r.revision),
    period: start && end ? { start, end } : null,
    summary: r.summary as string,
    state: r.state as OutsideState,
    conflictBookingIds: (r.conflict_booking_ids as string[] | null) ?? null,
  };
}

/**
 * Stores a report unless one of the same or a newer revision is already stored; returns whether it
 * was stored (a repeated or late report changes nothing).
 */
export async function saveOutsideReport(
  tx: Tx,
  r: Omit<OutsideEventRow, 'summary' | 'state' | 'conflictBookingIds'> & { summary?: string },
): Promise<boolean> {
  const start = r.period?.start.toISOString() ?? null;
  const end = r.period?.end.toISOString() ?? null;
  const state: OutsideState = r.period ? 'blocking' : 'withdrawn';
  const res = await tx.execute(
    sql`INSERT INTO availability.outside_events (source, item_id, calendar_id, event_id, revision, start_at, end_at, summary, state)
        VALUES (${r.source}, ${r.itemId}, ${r.calendarId}, ${r.eventId}, ${r.revision}, ${start}, ${end}, ${r.summary ?? ''}, ${state})
        ON CONFLICT (source) DO UPDATE SET revision = excluded.revision, start_at = excluded.start_at,
          end_at = excluded.end_at, summary = CASE WHEN excluded.start_at IS NULL THEN availability.outside_events.summary ELSE excluded.summary END,
          state = CASE WHEN excluded.start_at IS NULL THEN 'withdrawn'
                       ELSE availability.outside_events.state END,
          conflict_booking_ids = NULL, updated_at = now()
        WHERE availability.outside_events.revision < excluded.revision`,
  );
  return (res.rowCount ?? 0) > 0;
}

/** The outside events of an item that ask to block time. */
export async function listOutsideEvents(tx: Tx, itemId: string): Promise<OutsideEventRow[]> {
  const res = await tx.execute(
    sql`SELECT * FROM availability.outside_events WHERE item_id = ${itemId} AND start_at IS NOT NULL ORDER BY source`,
  );
  return res.rows.map(rowOf);
}

export async function hasOutsideConflicts(tx: Tx, itemId: string): Promise<boolean> {
  const res = await tx.execute(
    sql`SELECT 1 FROM availability.outside_events WHERE item_id = ${itemId} AND state = 'conflict' LIMIT 1`,
  );
  return res.rows.length > 0;
}

export async function markOutsideState(
  tx: Tx,
  source: string,
  state: OutsideState,
  conflictBookingIds: string[] | null,
): Promise<void> {
  await tx.execute(
    sql`UPDATE availability.outside_events SET state = ${state},
          conflict_booking_ids = ${
            conflictBookingIds === null
              ? null
              : sql`ARRAY[${sql.join(
                  conflictBookingIds.map((id) => sql`${id}`),
                  sql`, `,
                )}]::text[]`
          }, updated_at = now()
        WHERE source = ${source}`,
  );
}

/**
 * Active allocations of the item, locked while its outside blackouts are decided: every
 * outside-event blackout, and whatever else blocks time within `hull` (the span of its events).
 */
export async function lockItemOccupations(
  tx: Tx,
  itemId: string,
  hull: Period | null,
): Promise<{ segments: { id: string; period: Period }[]; others: OtherOccupation[] }> {
  const inHull = hull
    ? sql`blocked && tstzrange(${hull.start.toISOString()}::timestamptz, ${hull.end.toISOString()}::timestamptz)`
    : sql`FALSE`;
  const res = await tx.execute(
    sql`SELECT id, kind, ref, created_by, note, lower(period) AS period_start, upper(period) AS period_end,
               upper(blocked) AS blocked_end
        FROM availability.allocations
        WHERE item_id = ${itemId} AND active
          AND ((kind = 'blackout' AND created_by = ${OUTSIDE_CREATOR} AND note = ${OUTSIDE_REASON}) OR ${inHull})
        ORDER BY lower(period)
        FOR UPDATE`,
  );
  const segments: { id: string; period: Period }[] = [];
  const others: OtherOccupation[] = [];
  for (const r of res.rows) {
    const start = toDate(r.period_start as string);
    const outside = r.kind === 'blackout' && r.created_by === OUTSIDE_CREATOR && r.note === OUTSIDE_REASON;
    if (outside)
      segments.push({ id: r.id as string, period: { start, end: toDate(r.period_end as string) } });
    else
      others.push({
        id: r.id as string,
        kind: r.kind as AllocationKind,
        ref: (r.ref as string | null) ?? null,
        blocked: { start, end: toDate(r.blocked_end as string) },
      });
  }
  return { segments, others };
}

/** Who created an allocation (outside-event blackouts are created by calendar). */
export async function createdBy(tx: Tx, allocationId: string): Promise<string | null> {
  const res = await tx.execute(
    sql`SELECT created_by FROM availability.allocations WHERE id = ${allocationId}`,
  );
  return (res.rows[0]?.created_by as string | null | undefined) ?? null;
}
