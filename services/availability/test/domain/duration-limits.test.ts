import fc from 'fast-check';
import { DateTime, Duration } from 'luxon';
import { allowedEnds, judgeDuration, limitsAreOrdered, parseLimit } from '../../src/domain/duration-limits';
import { DEFAULT_DURATION_LIMITS } from '../../src/domain/item-defaults';

// Zones with ordinary, half-hour, southern-hemisphere and no DST at all.
const ZONES = [
  'Europe/Monaco',
  'America/New_York',
  'America/Denver',
  'Australia/Lord_Howe',
  'Australia/Sydney',
  'Asia/Dubai',
  'Pacific/Chatham',
  'UTC',
];
const zone = fc.constantFrom(...ZONES);
const instant = fc
  .integer({ min: Date.UTC(2020, 0, 1) / 60_000, max: Date.UTC(2035, 0, 1) / 60_000 })
  .map((minutes) => new Date(minutes * 60_000));
const limits = fc.constantFrom(
  ...Object.values(DEFAULT_DURATION_LIMITS),
  { minDuration: 'PT30M', maxDuration: 'PT12H' },
  { minDuration: 'P2D', maxDuration: 'P1M' },
);

/** Every DST change (either direction) in `zone` between 2020 and 2035, as the local midnight before it. */
function transitionDays(zoneName: string): DateTime[] {
  const days: DateTime[] = [];
  let day = DateTime.fromObject({ year: 2020, month: 1, day: 1 }, { zone: zoneName });
  while (day.year < 2035) {
    const next = day.plus({ days: 1 });
    if (next.offset !== day.offset) days.push(day);
    day = next;
  }
  return days;
}

describe('bookable duration limits', () => {
  it('accepts exactly the minimum and the maximum, and refuses a millisecond less or more', () => {
    fc.assert(
      fc.property(zone, instant, limits, (z, start, l) => {
        const { earliest, latest } = allowedEnds(start, z, l);
        expect(judgeDuration({ start, end: earliest }, z, l)).toBe('ok');
        expect(judgeDuration({ start, end: latest }, z, l)).toBe('ok');
        expect(judgeDuration({ start, end: new Date(earliest.getTime() - 1) }, z, l)).toBe('too_short');
        expect(judgeDuration({ start, end: new Date(latest.getTime() + 1) }, z, l)).toBe('too_long');
      }),
    );
  });

  it('agrees with calendar arithmetic in the zone for every limit, clock-only or not', () => {
    const iso = fc.constantFrom('PT1H', 'PT90M', 'PT4H', 'PT36H', 'P1D', 'P2DT12H', 'P1W', 'P30D');
    fc.assert(
      fc.property(zone, instant, iso, iso, (z, start, a, b) => {
        const { earliest, latest } = allowedEnds(start, z, { minDuration: a, maxDuration: b });
        const local = DateTime.fromJSDate(start, { zone: z });
        expect(earliest.getTime()).toBe(local.plus(Duration.fromISO(a)).toMillis());
        expect(latest.getTime()).toBe(local.plus(Duration.fromISO(b)).toMillis());
      }),
    );
  });

  it('counts a one-night stay across any DST change as one day, whether it lasts 23, 23.5, 24.5 or 25 hours', () => {
    const cases = ZONES.flatMap((z) => transitionDays(z).map((day) => ({ z, day })));
    expect(cases.length).toBeGreaterThan(50);
    fc.assert(
      fc.property(fc.constantFrom(...cases), fc.integer({ min: 0, max: 23 }), ({ z, day }, hour) => {
        const start = day.set({ hour });
        const end = start.plus({ days: 1 });
        const l = DEFAULT_DURATION_LIMITS.property;
        expect(judgeDuration({ start: start.toJSDate(), end: end.toJSDate() }, z, l)).toBe('ok');
        const hours = end.diff(start, 'hours').hours;
        if (hours < 24) {
          // Measured in fixed hours, the stay would have been refused.
          expect(judgeDuration({ start: start.toJSDate(), end: new Date(end.toMillis() - 1) }, z, l)).toBe(
            'too_short',
          );
        }
      }),
    );
  });

  it('refuses a 24-hour stay that ends an hour short of the next local day when clocks went back', () => {
    const start = DateTime.fromISO('2026-10-24T15:00', { zone: 'Europe/Monaco' });
    const end = start.plus({ hours: 24 });
    expect(end.hour).toBe(14);
    expect(
      judgeDuration(
        { start: start.toJSDate(), end: end.toJSDate() },
        'Europe/Monaco',
        DEFAULT_DURATION_LIMITS.property,
      ),
    ).toBe('too_short');
    expect(
      judgeDuration(
        { start: start.toJSDate(), end: end.plus({ hours: 1 }).toJSDate() },
        'Europe/Monaco',
        DEFAULT_DURATION_LIMITS.property,
      ),
    ).toBe('ok');
  });

  it('accepts only positive ISO 8601 durations up to a year as limits', () => {
    for (const good of ['PT1H', 'P1D', 'P2DT12H', 'P366D', 'PT90M']) expect(parseLimit(good)).toBeDefined();
    for (const bad of ['', '1h', 'PT0S', 'PT-1H', 'P2Y', 'P367D', 'garbage'])
      expect(parseLimit(bad)).toBeUndefined();
    expect(limitsAreOrdered({ minDuration: 'PT1H', maxDuration: 'P1D' })).toBe(true);
    expect(limitsAreOrdered({ minDuration: 'P2D', maxDuration: 'P1D' })).toBe(false);
    expect(limitsAreOrdered({ minDuration: 'P1D', maxDuration: 'bad' })).toBe(false);
  });
});
