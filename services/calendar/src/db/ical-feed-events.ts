/** SQL for what calendar last reported to availability about each event of an imported feed. */
import { sql, type Tx } from '@midas/db';
import type { ReportedState } from '../domain/external-event';
import { toDateOrNull } from './values';

/** Every event of the feed calendar has reported on, locked until the transaction ends. */
export async function readFeedReports(tx: Tx, feedId: string): Promise<Map<string, ReportedState>> {
  const res = await tx.execute(
    sql`SELECT event_key, start_at, end_at, revision FROM calendar.ical_feed_events
        WHERE feed_id = ${feedId} ORDER BY event_key FOR UPDATE`,
  );
  const out = new Map<string, ReportedState>();
  for (const r of res.rows) {
    const start = toDateOrNull(r.start_at);
    const end = toDateOrNull(r.end_at);
    out.set(r.event_key as string, {
      period: start && end ? { start, end } : null,
      revision: Number(r.revision),
    });
  }
  return out;
}

export async function saveFeedReport(
  tx: Tx,
  feedId: string,
  eventKey: string,
  state: ReportedState,
): Promise<void> {
  await tx.execute(
    sql`INSERT INTO calendar.ical_feed_events (feed_id, event_key, start_at, end_at, revision)
        VALUES (${feedId}, ${eventKey}, ${state.period?.start.toISOString() ?? null},
          ${state.period?.end.toISOString() ?? null}, ${state.revision})
        ON CONFLICT (feed_id, event_key) DO UPDATE SET start_at = excluded.start_at, end_at = excluded.end_at,
          revision = excluded.revision, updated_at = now()`,
  );
}

/** Forgets an event that has left the feed after it was over (its blackout stays as history). */
export async function forgetFeedReport(tx: Tx, feedId: string, eventKey: string): Promise<void> {
  await tx.execute(
    sql`DELETE FROM calendar.ical_feed_events WHERE feed_id = ${feedId} AND event_key = ${eventKey}`,
  );
}
