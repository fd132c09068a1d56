/** Instants shown as wall-clock time in an item's time zone, as Google's event times are written. */
import { DateTime } from 'luxon';

export interface GoogleTime {
  /** RFC 3339 with the zone's offset at that instant, e.g. 2037-03-29T03:30:00+02:00. */
  dateTime?: string | null;
  /** All-day events: a calendar date, YYYY-MM-DD. */
  date?: string | null;
  timeZone?: string | null;
}

const zoneValidity = new Map<string, boolean>();

export function isValidZone(zone: string): boolean {
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = DateTime.now().setZone(zone).isValid;
    // Zone names come from outside (feeds): remember a bounded number of them.
    if (zoneValidity.size < 1000) zoneValidity.set(zone, valid);
  }
  return valid;
}

/** The instant as Google wants it: local time with offset, plus the zone (so recurring edits keep it). */
export function toGoogleTime(instant: Date, zone: string): { dateTime: string; timeZone: string } {
  const local = DateTime.fromJSDate(instant, { zone: isValidZone(zone) ? zone : 'UTC' });
  return {
    dateTime: local.toISO({ suppressMilliseconds: true }) ?? instant.toISOString(),
    timeZone: local.zoneName ?? 'UTC',
  };
}

/**
 * The instant a Google event time stands for. An all-day date is a whole local day of the item: it
 * starts at midnight in the item's zone (the item's days are what it is booked by, whatever zone
 * the calendar shows), so a day is 23 or 25 hours long when clocks change. Undefined when the
 * time cannot be read.
 */
export function fromGoogleTime(time: GoogleTime | undefined | null, itemZone: string): Date | undefined {
  if (!time) return undefined;
  if (time.dateTime) {
    const parsed = DateTime.fromISO(time.dateTime, { setZone: true });
    return parsed.isValid ? parsed.toJSDate() : undefined;
  }
  if (time.date) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(time.date)) return undefined;
    const zone = isValidZone(itemZone) ? itemZone : 'UTC';
    const parsed = DateTime.fromISO(time.date, { zone });
    return parsed.isValid ? parsed.startOf('day').toJSDate() : undefined;
  }
  return undefined;
}

/**
 * Whether the instant's wall-clock time in the zone names it alone. False within the hour that
 * repeats when clocks go back (01:30 on such a night is two instants), where a time written as
 * local time with a TZID could be read as the other one.
 */
export function namesOneInstant(instant: Date, zone: string): boolean {
  if (!isValidZone(zone)) return false;
  const local = DateTime.fromJSDate(instant, { zone });
  const wall = local.setZone('UTC', { keepLocalTime: true }).toMillis();
  // Every offset the zone has near this instant: each gives the instant that wall time would be.
  const offsets = new Set(
    [-6, 0, 6].map((h) => DateTime.fromMillis(instant.getTime() + h * 3_600_000, { zone }).offset),
  );
  for (const offset of offsets) {
    const candidate = wall - offset * 60_000;
    if (candidate === instant.getTime()) continue;
    if (DateTime.fromMillis(candidate, { zone }).offset === offset) return false;
  }
  return true;
}
