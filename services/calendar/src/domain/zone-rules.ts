/**
 * A zone's VTIMEZONE for iCalendar feeds, and whether an instant can be written as wall-clock time
 * under it (TZID) and still be read back as that same instant.
 */
import { DateTime } from 'luxon';
import { tzlib_get_ical_block, tzlib_get_offset, tzlib_get_timezones } from 'timezones-ical-library';
import { namesOneInstant } from './local-time';

const blocks = new Map<string, string | null>();
let known: Set<string> | undefined;
const offsets = new Map<string, string>();
/** Bounds the memo of offsets (one per zone and local minute asked). */
const MAX_OFFSETS = 50_000;

/**
 * The zone's VTIMEZONE (the tz database's current rules), under the zone's own name: a zone that
 * is a link to another (Europe/Monaco to Europe/Paris) keeps the name the events' TZID uses.
 * Null for a zone the library does not know.
 */
export function vtimezoneOf(zone: string): string | null {
  if (!blocks.has(zone)) {
    known ??= new Set(tzlib_get_timezones(false));
    // Asked about a zone it does not know, the library writes to the console: ask only for known ones.
    const block = known.has(zone) ? tzlib_get_ical_block(zone) : null;
    const usable = Array.isArray(block) && block[0]?.includes('BEGIN:VTIMEZONE') ? block[0] : null;
    blocks.set(zone, usable && usable.replace(/^TZID:.*$/m, `TZID:${zone}`));
  }
  return blocks.get(zone) ?? null;
}

/**
 * Whether the zone's VTIMEZONE gives the instant's wall-clock time the offset the tz database
 * gives the instant. Not so before a change of the zone's rules (a VTIMEZONE states today's
 * rules: Mexico City's summer time, abolished in 2022, is not in it).
 */
function vtimezoneAgrees(instant: Date, zone: string): boolean {
  const local = DateTime.fromJSDate(instant, { zone });
  const date = local.toFormat('yyyy-LL-dd');
  const time = local.toFormat('HH:mm');
  const key = `${zone} ${date} ${time}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    if (offsets.size >= MAX_OFFSETS) offsets.clear();
    offset = tzlib_get_offset(zone, date, time);
    offsets.set(key, offset);
  }
  return offset === local.toFormat('ZZZ');
}

/**
 * Whether the instant can be written as local time in the zone (with the zone's VTIMEZONE) and be
 * read back exactly: a zone with a VTIMEZONE, a wall-clock time that names one instant (not the
 * hour repeated when clocks go back) and rules that held then. Otherwise it is written in UTC.
 */
export function writesAsLocalTime(instant: Date, zone: string): boolean {
  return vtimezoneOf(zone) !== null && namesOneInstant(instant, zone) && vtimezoneAgrees(instant, zone);
}
