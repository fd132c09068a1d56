/**
 * A booking's history in one ordered stream: status changes, modifications, every status each
 * payment went through (with its provider ids), communications and, for staff, calendar
 * conflicts, merged and paged in SQL by (at, kind, id).
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';

export interface HistoryRow {
  kind: 'status' | 'modification' | 'payment' | 'communication' | 'calendar_conflict';
  sort_id: string;
  at: Date;
  actor_role: string;
  actor_id: string | null;
  data: Record<string, unknown>;
}

export interface HistoryCursor {
  at: string;
  kind: string;
  id: string;
}

export async function historyOf(
  tx: Tx,
  bookingId: string,
  page: { limit: number; after?: HistoryCursor },
  opts: { staff: boolean },
): Promise<HistoryRow[]> {
  // What someone wrote in the item's Google calendar is staff-authored and for staff only, as
  // are the messages sent to staff about the booking (templates `staff_*`).
  const conflicts = opts.staff
    ? sql`
      UNION ALL
      SELECT 'calendar_conflict', k.google_event_id || '/' || extract(epoch FROM k.start_at)::text, k.at, 'system', NULL,
             jsonb_build_object('calendarId', k.calendar_id, 'googleEventId', k.google_event_id,
                                'start', to_char(k.start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                'end', to_char(k.end_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                'summary', k.summary)
        FROM booking.calendar_conflicts k WHERE k.booking_id = ${bookingId}`
    : sql``;
  const after = page.after
    ? sql`WHERE (e.at, e.kind, e.sort_id) > (${page.after.at}::timestamptz, ${page.after.kind}, ${page.after.id})`
    : sql``;
  const result = await tx.execute<HistoryRow & Record<string, unknown>>(sql`
    SELECT * FROM (
      SELECT 'status' AS kind, lpad(h.id::text, 20, '0') AS sort_id, h.at, h.actor_role, h.actor_id,
             jsonb_build_object('from', h.from_status, 'to', h.to_status, 'reason', h.reason, 'details', h.details) AS data
        FROM booking.status_history h WHERE h.booking_id = ${bookingId}
      UNION ALL
      SELECT 'modification', lpad(m.id::text, 20, '0'), m.at, m.actor_role, m.actor_id,
             jsonb_build_object('before', m.before, 'after', m.after, 'priceDifference', m.price_difference)
        FROM booking.modifications m WHERE m.booking_id = ${bookingId}
      UNION ALL
      SELECT 'payment', lpad(e.id::text, 20, '0'), e.at,
             e.actor_role, e.actor_id,
             jsonb_build_object('type', p.kind, 'purpose', p.purpose, 'amount', e.amount, 'currency', p.currency,
                                'status', e.status, 'provider', p.provider, 'paymentId', p.id,
                                'providerRef', coalesce(e.provider_ref, p.provider_ref), 'detail', e.detail)
        FROM booking.payment_events e JOIN booking.payments p ON p.id = e.payment_id
       WHERE e.booking_id = ${bookingId}
      UNION ALL
      SELECT 'communication', c.id::text, c.at, 'system', NULL,
             jsonb_build_object('channel', c.channel, 'template', c.template, 'to', c.recipient, 'status', c.status,
                                'attempts', c.attempts)
        FROM booking.communications c WHERE c.booking_id = ${bookingId}
         ${opts.staff ? sql`` : sql`AND c.template NOT LIKE 'staff\_%'`}
      ${conflicts}
    ) e ${after}
    ORDER BY e.at, e.kind, e.sort_id
    LIMIT ${page.limit}`);
  return result.rows.map((r) => ({ ...r, at: new Date(r.at) }));
}
