/**
 * Seasons of a location: named date ranges with a price multiplier. A recurring season repeats
 * every year (`MM-DD` bounds, may wrap over New Year); a one-off season covers fixed dates
 * (`YYYY-MM-DD` bounds). Bounds are inclusive local dates. Where a one-off season (an event
 * week) overlaps a recurring one, the one-off wins; seasons of the same kind may not overlap.
 */
import { DateTime } from 'luxon';
import { ONE } from './money';

export interface Season {
  id?: string;
  name: string;
  multiplierBps: number;
  recurring: boolean;
  /** `MM-DD` when recurring, `YYYY-MM-DD` otherwise; inclusive. */
  start: string;
  end: string;
}

export const STANDARD_SEASON: Season = {
  name: 'Standard',
  multiplierBps: ONE,
  recurring: true,
  start: '01-01',
  end: '12-31',
};

const MONTH_DAY = /^\d{2}-\d{2}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A leap year, so that 02-29 is a valid recurring bound. */
const LEAP_YEAR = 2024;
export const MAX_ONE_OFF_DAYS = 366;

function inRecurring(monthDay: string, s: Season): boolean {
  return s.start <= s.end
    ? monthDay >= s.start && monthDay <= s.end
    : monthDay >= s.start || monthDay <= s.end;
}

/** The season in force on a local date (`YYYY-MM-DD`); the standard season when none is defined. */
export function seasonOn(date: string, seasons: readonly Season[]): Season {
  const oneOff = seasons.find((s) => !s.recurring && date >= s.start && date <= s.end);
  if (oneOff) return oneOff;
  const monthDay = date.slice(5);
  return seasons.find((s) => s.recurring && inRecurring(monthDay, s)) ?? STANDARD_SEASON;
}

/** What is wrong with a season's bounds, field by field; empty when it is valid. */
export function seasonProblems(
  s: Pick<Season, 'recurring' | 'start' | 'end'>,
): { field: 'start' | 'end'; message: string }[] {
  const problems: { field: 'start' | 'end'; message: string }[] = [];
  const parse = (value: string) =>
    s.recurring
      ? MONTH_DAY.test(value) && DateTime.fromISO(`${LEAP_YEAR}-${value}`).isValid
      : ISO_DATE.test(value) && DateTime.fromISO(value).isValid;
  const shape = s.recurring ? 'a month and day, MM-DD' : 'a date, YYYY-MM-DD';
  if (!parse(s.start)) problems.push({ field: 'start', message: `must be ${shape}` });
  if (!parse(s.end)) problems.push({ field: 'end', message: `must be ${shape}` });
  if (problems.length === 0 && !s.recurring) {
    const days = DateTime.fromISO(s.end).diff(DateTime.fromISO(s.start), 'days').days;
    if (days < 0) problems.push({ field: 'end', message: 'must not be before start' });
    else if (days >= MAX_ONE_OFF_DAYS)
      problems.push({ field: 'end', message: `a one-off season lasts at most ${MAX_ONE_OFF_DAYS} days` });
  }
  return problems;
}

function recurringDays(s: Season): Set<string> {
  const out = new Set<string>();
  for (
    let d = DateTime.fromObject({ year: LEAP_YEAR, month: 1, day: 1 });
    d.year === LEAP_YEAR;
    d = d.plus({ days: 1 })
  ) {
    const monthDay = d.toFormat('MM-dd');
    if (inRecurring(monthDay, s)) out.add(monthDay);
  }
  return out;
}

/** Whether two seasons of the same kind share a date (seasons of different kinds may overlap). */
export function seasonsOverlap(a: Season, b: Season): boolean {
  if (a.recurring !== b.recurring) return false;
  if (!a.recurring) return a.start <= b.end && b.start <= a.end;
  const days = recurringDays(a);
  for (const d of recurringDays(b)) if (days.has(d)) return true;
  return false;
}
