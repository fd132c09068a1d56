/** Bookable-duration rules, measured with calendar arithmetic in the item's own time zone. */
import { DateTime, Duration } from 'luxon';
import type { Period } from './period';

export interface DurationLimits {
  /** ISO 8601 duration, e.g. `PT1H` or `P1D`. */
  minDuration: string;
  maxDuration: string;
}

/** The longest limit anyone may set; it keeps every stay inside one query window. */
export const MAX_LIMIT_DAYS = 366;

/** Parses an ISO 8601 duration; undefined unless it is one, positive, and within MAX_LIMIT_DAYS. */
export function parseLimit(iso: string): Duration | undefined {
  if (parsed.has(iso)) return parsed.get(iso);
  const d = readLimit(iso);
  // Only a handful of distinct limits exist; remembering them keeps a 500-item search cheap.
  if (parsed.size < 1000) parsed.set(iso, d);
  return d;
}

const parsed = new Map<string, Duration | undefined>();

function readLimit(iso: string): Duration | undefined {
  const d = Duration.fromISO(iso);
  if (!d.isValid) return undefined;
  if (Object.values(d.toObject()).some((v) => typeof v !== 'number' || v < 0)) return undefined;
  const ms = d.toMillis();
  if (ms <= 0 || ms > MAX_LIMIT_DAYS * 86_400_000) return undefined;
  return d;
}

/** Whether the shortest stay is no longer than the longest one, reading days as 24 hours. */
export function limitsAreOrdered(limits: DurationLimits): boolean {
  const min = parseLimit(limits.minDuration);
  const max = parseLimit(limits.maxDuration);
  return min !== undefined && max !== undefined && min.toMillis() <= max.toMillis();
}

/** The earliest end a stay starting at `start` may have, and the latest. */
export function allowedEnds(
  start: Date,
  zone: string,
  limits: DurationLimits,
): { earliest: Date; latest: Date } {
  const key = `${start.getTime()}|${zone}|${limits.minDuration}|${limits.maxDuration}`;
  const known = ends.get(key);
  if (known) return known;
  const min = parseLimit(limits.minDuration);
  const max = parseLimit(limits.maxDuration);
  if (!min || !max) throw new RangeError(`invalid limits: ${JSON.stringify(limits)}`);
  const result = { earliest: endAfter(start, zone, min), latest: endAfter(start, zone, max) };
  // A search asks the same question for hundreds of items; calendar arithmetic is worth remembering.
  if (ends.size >= 10_000) ends.clear();
  ends.set(key, result);
  return result;
}

const ends = new Map<string, { earliest: Date; latest: Date }>();

/** Clock durations (hours and less) are plain arithmetic; days and weeks follow the zone's calendar. */
function endAfter(start: Date, zone: string, d: Duration): Date {
  const units = d.toObject();
  if (!units.years && !units.quarters && !units.months && !units.weeks && !units.days) {
    return new Date(start.getTime() + d.toMillis());
  }
  const local = DateTime.fromJSDate(start, { zone });
  if (!local.isValid) throw new RangeError(`invalid zone: ${zone}`);
  return local.plus(d).toJSDate();
}

export type DurationVerdict = 'ok' | 'too_short' | 'too_long';

export function judgeDuration(p: Period, zone: string, limits: DurationLimits): DurationVerdict {
  const { earliest, latest } = allowedEnds(p.start, zone, limits);
  if (p.end.getTime() < earliest.getTime()) return 'too_short';
  if (p.end.getTime() > latest.getTime()) return 'too_long';
  return 'ok';
}
