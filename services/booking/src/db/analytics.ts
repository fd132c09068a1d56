/** The admin summary, computed by PostgreSQL aggregates over one window [from, to). */
import { sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';

const OCCUPYING = sql`('confirmed', 'concierge_assigned', 'ready', 'in_progress', 'completed')`;

export interface SummaryFigures {
  counts: { by: 'status' | 'type' | 'total'; key: string | null; n: number }[];
  money: { kind: 'charge' | 'refund'; currency: string; amount: number }[];
  utilization: { type: string; booked_hours: number; items: number }[];
  noShows: { no_shows: number; due: number };
  conversion: { holds: number; converted: number };
  windowHours: number;
}

export async function summaryFigures(tx: Tx, from: Date, to: Date): Promise<SummaryFigures> {
  const f = from.toISOString();
  const t = to.toISOString();
  const [counts, money, utilization, noShows, conversion] = await Promise.all([
    tx.execute<{
      status: string | null;
      type: string | null;
      n: string;
      by: 'status' | 'type' | 'total';
    }>(sql`
      SELECT status, item_type AS type, count(*) AS n,
             CASE WHEN grouping(status) = 0 THEN 'status' WHEN grouping(item_type) = 0 THEN 'type' ELSE 'total' END AS by
        FROM booking.bookings
       WHERE start_at >= ${f}::timestamptz AND start_at < ${t}::timestamptz
       GROUP BY GROUPING SETS ((status), (item_type), ())`),
    tx.execute<{ kind: 'charge' | 'refund'; currency: string; amount: string }>(sql`
      SELECT kind, currency, sum(amount) AS amount FROM booking.payments
       WHERE status = 'succeeded' AND settled_at >= ${f}::timestamptz AND settled_at < ${t}::timestamptz
       GROUP BY kind, currency ORDER BY kind, currency`),
    tx.execute<{ type: string; booked_hours: string; items: string }>(sql`
      WITH booked AS (
        SELECT item_type AS type,
               sum(extract(epoch FROM least(end_at, ${t}::timestamptz) - greatest(start_at, ${f}::timestamptz))) / 3600 AS hours
          FROM booking.bookings
         WHERE status IN ${OCCUPYING} AND start_at < ${t}::timestamptz AND end_at > ${f}::timestamptz
         GROUP BY item_type),
      inventory AS (SELECT type, count(*) AS n FROM booking.items WHERE active GROUP BY type)
      SELECT coalesce(b.type, i.type) AS type, coalesce(b.hours, 0) AS booked_hours, coalesce(i.n, 0) AS items
        FROM booked b FULL OUTER JOIN inventory i ON i.type = b.type`),
    tx.execute<{ no_shows: string; due: string }>(sql`
      SELECT count(DISTINCT h.booking_id) FILTER (WHERE h.to_status = 'no_show') AS no_shows,
             count(DISTINCT h.booking_id) AS due
        FROM booking.status_history h JOIN booking.bookings b ON b.id = h.booking_id
       WHERE h.to_status IN ('in_progress', 'no_show')
         AND b.start_at >= ${f}::timestamptz AND b.start_at < ${t}::timestamptz`),
    tx.execute<{ holds: string; converted: string }>(sql`
      SELECT count(*) AS holds,
             count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM booking.bookings b JOIN booking.status_history h ON h.booking_id = b.id
                WHERE b.hold_id = s.hold_id AND h.to_status = 'confirmed')) AS converted
        FROM booking.holds_seen s
       WHERE s.created_at >= ${f}::timestamptz AND s.created_at < ${t}::timestamptz
         -- A change's hold is not a customer's hold that could become a booking.
         AND NOT EXISTS (SELECT 1 FROM booking.pending_changes c WHERE c.hold_id = s.hold_id)`),
  ]);
  return {
    counts: counts.rows.map((r) => ({
      by: r.by,
      key: r.by === 'status' ? r.status : r.type,
      n: Number(r.n),
    })),
    money: money.rows.map((r) => ({ kind: r.kind, currency: r.currency.trim(), amount: Number(r.amount) })),
    utilization: utilization.rows.map((r) => ({
      type: r.type,
      booked_hours: Number(r.booked_hours),
      items: Number(r.items),
    })),
    noShows: { no_shows: Number(noShows.rows[0]?.no_shows ?? 0), due: Number(noShows.rows[0]?.due ?? 0) },
    conversion: {
      holds: Number(conversion.rows[0]?.holds ?? 0),
      converted: Number(conversion.rows[0]?.converted ?? 0),
    },
    windowHours: (to.getTime() - from.getTime()) / 3_600_000,
  };
}
