/** A booking's period as the guest reads it: wall-clock times in the item's own time zone. */
import { DateTime, Duration, Interval } from 'luxon';

export interface PeriodView {
  /** e.g. `Saturday 14 March 2026, 10:00 CET` */
  start: string;
  end: string;
  /** e.g. `14 Mar 2026`, for subjects. */
  startDay: string;
  /** e.g. `2 days, 3 hours`, counted on the local calendar (a day across a DST change is still a day). */
  duration: string;
  /** The IANA zone the times are shown in. */
  timezone: string;
}

const LOCALE = 'en-GB';
const LONG = 'cccc d LLLL yyyy, HH:mm ZZZZ';

/** The item's zone, or UTC when the event carried one luxon does not know (the message still goes out). */
export function usableZone(timezone: string): string {
  return DateTime.now().setZone(timezone).isValid ? timezone : 'UTC';
}

export function localTime(iso: string, timezone: string): DateTime {
  return DateTime.fromISO(iso, { zone: usableZone(timezone), locale: LOCALE });
}

export function formatInstant(iso: string, timezone: string): string {
  return localTime(iso, timezone).toFormat(LONG);
}

export function describeDuration(startIso: string, endIso: string, timezone: string): string {
  const start = localTime(startIso, timezone);
  const end = localTime(endIso, timezone);
  if (!start.isValid || !end.isValid || end <= start) return '';
  const duration = Interval.fromDateTimes(start, end).toDuration(['days', 'hours', 'minutes']);
  const parts = Object.fromEntries(
    Object.entries(duration.toObject())
      .map(([unit, value]) => [unit, Math.floor(value)] as const)
      .filter(([, value]) => value > 0),
  );
  if (Object.keys(parts).length === 0) return 'under a minute';
  return Duration.fromObject(parts, { locale: LOCALE }).toHuman({ unitDisplay: 'long' });
}

export function describePeriod(startIso: string, endIso: string, timezone: string): PeriodView {
  const zone = usableZone(timezone);
  return {
    start: formatInstant(startIso, zone),
    end: formatInstant(endIso, zone),
    startDay: localTime(startIso, zone).toFormat('d LLL yyyy'),
    duration: describeDuration(startIso, endIso, zone),
    timezone: zone,
  };
}
