/** SQL for the outside events seen in linked calendars and what calendar last reported about each. */
import { sql, type Tx } from '@midas/db';
import type { ReportedState } from '../domain/external-event';
import { toDateOrNull } from './values';

export interface OutsideEventKey {
  itemId: string;
  googleEventId: string;
}

/** The last report about an event, locked until the transaction ends; undefined when never seen. */
export async function readReported(tx: Tx, key: OutsideEventKey): Promise<ReportedState | undefined> {
  const res = await tx.execute(
    sql`SELECT start_at, end_at, revision FROM calendar.external_events
        WHERE item_id = ${key.itemId} AND google_event_id = ${key.googleEventId} FOR UPDATE`,
  );
  const r = res.rows[0];
  if (!r) return undefined;
  const start = toDateOrNull(r.start_at);
  const end = toDateOrNull(r.end_at);
  return { period: start && end ? { start, end } : null, revision: Number(r.revision) };
}

export async function saveReported(
  tx: Tx,
  key: OutsideEventKey & { calendarId: string; decision: string },
  state: ReportedState,
): Promise<void> {
  const start = state.period?.start.toISOString() ?? null;
  const end = state.period?.end.toISOString() ?? null;
  await tx.execute(
    sql`INSERT INTO calendar.external_events (item_id, google_event_id, calendar_id, start_at, end_at, decision, revision)
        VALUES (${key.itemId}, ${key.googleEventId}, ${key.calendarId}, ${start}, ${end}, ${key.decision}, ${state.revision})
        ON CONFLICT (item_id, google_event_id) DO UPDATE SET calendar_id = excluded.calendar_id,
          start_at = excluded.start_at, end_at = excluded.end_at, decision = excluded.decision,
          revision = excluded.revision, updated_at = now()`,
  );
}

/** Outside events of the item that availability was last asked to block, locked. */
export async function listBlockingReports(
  tx: Tx,
  itemId: string,
): Promise<{ googleEventId: string; calendarId: string | null; revision: number }[]> {
  const res = await tx.execute(
    sql`SELECT google_event_id, calendar_id, revision FROM calendar.external_events
        WHERE item_id = ${itemId} AND start_at IS NOT NULL ORDER BY google_event_id FOR UPDATE`,
  );
  return res.rows.map((r) => ({
    googleEventId: r.google_event_id as string,
    calendarId: (r.calendar_id as string | null) ?? null,
    revision: Number(r.revision),
  }));
}
