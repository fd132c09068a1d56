/**
 * How many rate units a stay is charged, and on which local date each unit falls (the date
 * decides its season and, for hourly rates, its daily cap). Calendar arithmetic happens in
 * the item's time zone with luxon, so a day that gains or loses an hour at a DST change-over
 * keeps its real length: 23 or 25 hours are one day, and an hourly rental is charged for the
 * hours that really elapse.
 */
import { DateTime } from 'luxon';

export const RATE_UNITS = ['hour', 'day', 'night'] as const;
export type RateUnit = (typeof RATE_UNITS)[number];

export interface UnitsOnDate {
  /** Local calendar date in the item's zone, `YYYY-MM-DD`. */
  date: string;
  units: number;
}

export interface BillingUnits {
  unit: RateUnit;
  count: number;
  byDate: UnitsOnDate[];
}

const HOUR_MS = 3_600_000;
/** A guard against runaway loops; stays are validated to far less before reaching here. */
const MAX_UNITS_ITERATIONS = 2_000;

function localDate(dt: DateTime): string {
  return dt.toISODate() ?? '';
}

/** Every started hour is charged; hour k starts at start + k real hours and belongs to its local date. */
function hours(start: Date, end: Date, zone: string): UnitsOnDate[] {
  const startMs = start.getTime();
  const count = Math.ceil((end.getTime() - startMs) / HOUR_MS);
  const lastHourStart = startMs + (count - 1) * HOUR_MS;
  const out: UnitsOnDate[] = [];
  let day = DateTime.fromMillis(startMs, { zone }).startOf('day');
  for (let i = 0; i < MAX_UNITS_ITERATIONS && day.toMillis() <= lastHourStart; i++) {
    const next = day.plus({ days: 1 }).startOf('day');
    const first = Math.max(0, Math.ceil((day.toMillis() - startMs) / HOUR_MS));
    const afterLast = Math.min(count, Math.ceil((next.toMillis() - startMs) / HOUR_MS));
    if (afterLast > first) out.push({ date: localDate(day), units: afterLast - first });
    day = next;
  }
  return out;
}

/** Every started calendar day from the start time is charged; day i runs from start + i local days. */
function days(start: Date, end: Date, zone: string): UnitsOnDate[] {
  const origin = DateTime.fromJSDate(start, { zone });
  const endMs = end.getTime();
  const out: UnitsOnDate[] = [];
  for (let i = 0; i < MAX_UNITS_ITERATIONS; i++) {
    const boundary = origin.plus({ days: i });
    if (boundary.toMillis() >= endMs) break;
    out.push({ date: localDate(boundary), units: 1 });
  }
  return out;
}

/** One unit per night: each local date from check-in up to (not including) check-out; a same-day stay is one night. */
function nights(start: Date, end: Date, zone: string): UnitsOnDate[] {
  const first = DateTime.fromJSDate(start, { zone }).startOf('day');
  const checkout = DateTime.fromJSDate(end, { zone }).startOf('day');
  const out: UnitsOnDate[] = [];
  for (
    let night = first, i = 0;
    i < MAX_UNITS_ITERATIONS && night < checkout;
    i++, night = night.plus({ days: 1 })
  ) {
    out.push({ date: localDate(night), units: 1 });
  }
  if (out.length === 0) out.push({ date: localDate(first), units: 1 });
  return out;
}

/** The charged units of [start, end) in `zone`; callers guarantee start < end. */
export function billingUnits(start: Date, end: Date, unit: RateUnit, zone: string): BillingUnits {
  const byDate =
    unit === 'hour'
      ? hours(start, end, zone)
      : unit === 'day'
        ? days(start, end, zone)
        : nights(start, end, zone);
  return { unit, count: byDate.reduce((sum, d) => sum + d.units, 0), byDate };
}
