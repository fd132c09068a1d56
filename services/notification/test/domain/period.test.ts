import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describePeriod, formatInstant } from '../../src/domain/period';

describe('describePeriod', () => {
  it("shows times on the item's wall clock with the zone's abbreviation", () => {
    const view = describePeriod('2026-07-01T08:00:00Z', '2026-07-03T12:30:00Z', 'Europe/Monaco');
    expect(view.start).toBe('Wednesday 1 July 2026, 10:00 CEST');
    expect(view.end).toBe('Friday 3 July 2026, 14:30 CEST');
    expect(view.startDay).toBe('1 Jul 2026');
    expect(view.duration).toBe('2 days, 4 hours, 30 minutes');
  });

  it('follows the clock change: the same UTC hour is 01:30 before and 03:30 after spring-forward in Paris', () => {
    expect(formatInstant('2026-03-29T00:30:00Z', 'Europe/Paris')).toBe('Sunday 29 March 2026, 01:30 CET');
    expect(formatInstant('2026-03-29T01:30:00Z', 'Europe/Paris')).toBe('Sunday 29 March 2026, 03:30 CEST');
  });

  it('counts a local day across a DST change as one day, whatever its hours', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Europe/Paris', 'America/New_York', 'Australia/Sydney', 'Europe/London'),
        fc.integer({ min: 0, max: 3 * 365 }),
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: 8, max: 18 }),
        (zone, dayOffset, days, hour) => {
          const start = DateTime.fromObject({ year: 2026, month: 1, day: 1, hour }, { zone }).plus({
            days: dayOffset,
          });
          const end = start.plus({ days });
          const view = describePeriod(start.toUTC().toISO()!, end.toUTC().toISO()!, zone);
          expect(view.duration).toBe(days === 1 ? '1 day' : `${days} days`);
          expect(view.start).toContain(`, ${String(hour).padStart(2, '0')}:00 `);
          expect(view.end).toContain(`, ${String(hour).padStart(2, '0')}:00 `);
        },
      ),
    );
  });

  it('falls back to UTC, and says so, for a zone it does not know', () => {
    const view = describePeriod('2026-07-01T08:00:00Z', '2026-07-01T09:00:00Z', 'Mars/Olympus');
    expect(view.timezone).toBe('UTC');
    expect(view.start).toBe('Wednesday 1 July 2026, 08:00 UTC');
    expect(view.duration).toBe('1 hour');
  });
});
