/**
 * The customer, loyalty and per-location aggregates of the admin summary, by PostgreSQL. Money is
 * only what settled (`succeeded` charges and refunds): a pending charge is never counted as paid.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';

export interface CustomerFigures {
  lifetimeValue: { currency: string; customers: number; total: number; average: number; max: number }[];
  completed: { customers: number; repeat: number };
  tiers: { tier: string; customers: number; points: number }[];
}

export interface LocationFigures {
  counts: { location: string; status: string; n: number }[];
  money: { location: string; kind: 'charge' | 'refund'; currency: string; amount: number }[];
  noShows: { location: string; no_shows: number; due: number }[];
}

export async function customerFigures(tx: Tx, to: Date): Promise<CustomerFigures> {
  const t = to.toISOString();
  const [ltv, completed, tiers] = await Promise.all([
    tx.execute<{ currency: string; customers: string; total: string; average: string; max: string }>(sql`
      WITH net AS (
        SELECT b.customer_id, p.currency,
               sum(CASE WHEN p.kind = 'charge' THEN p.amount ELSE -p.amount END) AS value
          FROM booking.payments p JOIN booking.bookings b ON b.id = p.booking_id
         WHERE p.status = 'succeeded' AND p.kind IN ('charge', 'refund')
           AND b.customer_id IS NOT NULL AND p.settled_at < ${t}::timestamptz
         GROUP BY b.customer_id, p.currency)
      SELECT currency, count(*) AS customers, sum(value) AS total, round(avg(value)) AS average,
             max(value) AS max
        FROM net GROUP BY currency ORDER BY currency`),
    tx.execute<{ customers: string; repeat: string }>(sql`
      SELECT count(*) AS customers, count(*) FILTER (WHERE n >= 2) AS repeat
        FROM (SELECT customer_id, count(*) AS n FROM booking.bookings
               WHERE status = 'completed' AND customer_id IS NOT NULL AND start_at < ${t}::timestamptz
               GROUP BY customer_id) c`),
    tx.execute<{ tier: string; customers: string; points: string }>(sql`
      SELECT tier, count(*) AS customers, coalesce(sum(points), 0) AS points
        FROM booking.customers GROUP BY tier ORDER BY tier`),
  ]);
  return {
    lifetimeValue: ltv.rows.map((r) => ({
      currency: r.currency.trim(),
      customers: Number(r.customers),
      total: Number(r.total),
      average: Number(r.average),
      max: Number(r.max),
    })),
    completed: {
      customers: Number(completed.rows[0]?.customers ?? 0),
      repeat: Number(completed.rows[0]?.repeat ?? 0),
    },
    tiers: tiers.rows.map((r) => ({
      tier: r.tier,
      customers: Number(r.customers),
      points: Number(r.points),
    })),
  };
}

export async function locationFigures(tx: Tx, from: Date, to: Date): Promise<LocationFigures> {
  const f = from.toISOString();
  const t = to.toISOString();
  const [counts, money, noShows] = await Promise.all([
    tx.execute<{ location: string; status: string; n: string }>(sql`
      SELECT location, status, count(*) AS n FROM booking.bookings
       WHERE start_at >= ${f}::timestamptz AND start_at < ${t}::timestamptz
       GROUP BY location, status ORDER BY location, status`),
    tx.execute<{ location: string; kind: 'charge' | 'refund'; currency: string; amount: string }>(sql`
      SELECT b.location, p.kind, p.currency, sum(p.amount) AS amount
        FROM booking.payments p JOIN booking.bookings b ON b.id = p.booking_id
       WHERE p.status = 'succeeded' AND p.kind IN ('charge', 'refund')
         AND p.settled_at >= ${f}::timestamptz AND p.settled_at < ${t}::timestamptz
       GROUP BY b.location, p.kind, p.currency ORDER BY b.location, p.kind, p.currency`),
    tx.execute<{ location: string; no_shows: string; due: string }>(sql`
      SELECT b.location,
             count(DISTINCT h.booking_id) FILTER (WHERE h.to_status = 'no_show') AS no_shows,
             count(DISTINCT h.booking_id) AS due
        FROM booking.status_history h JOIN booking.bookings b ON b.id = h.booking_id
       WHERE h.to_status IN ('in_progress', 'no_show')
         AND b.start_at >= ${f}::timestamptz AND b.start_at < ${t}::timestamptz
       GROUP BY b.location`),
  ]);
  return {
    counts: counts.rows.map((r) => ({ location: r.location, status: r.status, n: Number(r.n) })),
    money: money.rows.map((r) => ({
      location: r.location,
      kind: r.kind,
      currency: r.currency.trim(),
      amount: Number(r.amount),
    })),
    noShows: noShows.rows.map((r) => ({
      location: r.location,
      no_shows: Number(r.no_shows),
      due: Number(r.due),
    })),
  };
}
