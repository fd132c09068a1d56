import fc from 'fast-check';
import { DateTime } from 'luxon';
import { renderFeed, type FeedEntry } from '../../src/domain/feed';
import ICAL from '../../src/domain/ical';

/** Zones whose rules changed after 2015: before the change, their times are written in UTC. */
const RULES_CHANGED = ['America/Sao_Paulo', 'America/Mexico_City'];
/** Zones with DST both ways round the year, a 30-minute DST, DST abolished (2019, 2022), none at all. */
const ZONES = [
  'Europe/Monaco',
  'America/New_York',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'America/Sao_Paulo',
  'America/Mexico_City',
  'Asia/Kolkata',
  'Pacific/Chatham',
];

function entry(ref: string, zone: string, start: Date, end: Date): FeedEntry {
  return {
    kind: 'booking',
    ref,
    itemId: '0a0c1a52-8d5e-4b8e-9a51-0b7f1f6c2d11',
    itemType: 'yacht',
    timezone: zone,
    start,
    end,
    status: 'confirmed',
    summary: `Booking ${ref.slice(0, 8)}`,
    sequence: 1,
    updatedAt: new Date('2036-12-01T00:00:00Z'),
  };
}

interface ReadEvent {
  uid: string;
  start: Date;
  end: Date;
  /** The TZID the times were written with, or null for UTC. */
  tzid: string | null;
}

/** Reads a feed back with ical.js, resolving TZIDs through the feed's own VTIMEZONEs only. */
function readBack(text: string): { events: ReadEvent[]; vtimezones: string[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const vtimezones = calendar.getAllSubcomponents('vtimezone');
  try {
    for (const vtimezone of vtimezones) ICAL.TimezoneService.register(vtimezone);
    const events = calendar.getAllSubcomponents('vevent').map((vevent) => {
      const event = new ICAL.Event(vevent);
      const tzid = vevent.getFirstProperty('dtstart')?.getParameter('tzid');
      return {
        uid: event.uid,
        start: new Date(event.startDate.toUnixTime() * 1000),
        end: new Date(event.endDate.toUnixTime() * 1000),
        tzid: typeof tzid === 'string' ? tzid : null,
      };
    });
    return { events, vtimezones: vtimezones.map((v) => String(v.getFirstPropertyValue('tzid'))) };
  } finally {
    ICAL.TimezoneService.reset();
  }
}

const transitions = new Map<string, number[]>();

/** The instants (ms, to the minute) at which the zone's offset changes in a year, found month, day, hour, minute. */
function transitionsOf(zone: string, year: number): number[] {
  const key = `${zone} ${year}`;
  const known = transitions.get(key);
  if (known) return known;
  const offsetAt = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
  /** The first instant after `from` with another offset, to `unit` precision, when there is one before `to`. */
  const narrow = (from: number, to: number, unit: number): [number, number] => {
    let at = from;
    while (at + unit <= to && offsetAt(at + unit) === offsetAt(from)) at += unit;
    return [at, Math.min(to, at + unit)];
  };
  const found: number[] = [];
  const months = Array.from({ length: 13 }, (_, m) => Date.UTC(year, m, 1));
  for (let m = 0; m < 12; m++) {
    if (offsetAt(months[m]!) === offsetAt(months[m + 1]!)) continue;
    let [from, to] = narrow(months[m]!, months[m + 1]!, 86_400_000);
    [from, to] = narrow(from, to, 3_600_000);
    [from, to] = narrow(from, to, 60_000);
    found.push(to);
  }
  transitions.set(key, found);
  return found;
}

/** Instants between 2015 and 2040, half of them within a day of one of the zone's clock changes. */
function instantArb(zone: string): fc.Arbitrary<Date> {
  const from = Date.UTC(2015, 0, 1);
  const to = Date.UTC(2040, 0, 1);
  const anywhere = fc.integer({ min: from / 60_000, max: to / 60_000 }).map((m) => new Date(m * 60_000));
  const nearChange = fc
    .tuple(fc.integer({ min: 2015, max: 2039 }), fc.nat(), fc.integer({ min: -1440, max: 1440 }))
    .map(([year, pick, minutes]) => {
      const changes = transitionsOf(zone, year);
      // A zone without changes that year: any moment of it.
      const at = changes.length ? changes[pick % changes.length]! : Date.UTC(year, pick % 12, 1);
      return new Date(at + minutes * 60_000);
    });
  return fc.oneof(anywhere, nearChange);
}

const bookingArb = fc.constantFrom(...ZONES).chain((zone) =>
  fc.record({
    zone: fc.constant(zone),
    periods: fc.array(fc.tuple(fc.uuid(), instantArb(zone), fc.integer({ min: 15, max: 3 * 24 * 60 })), {
      minLength: 1,
      maxLength: 6,
    }),
  }),
);

describe('iCalendar feed times in the item zone', () => {
  it('reads back, with a real parser and only the VTIMEZONE the feed carries, as exactly the instants stored, DST changes included', () => {
    fc.assert(
      fc.property(bookingArb, ({ zone, periods }) => {
        const entries = periods.map(([ref, start, minutes]) =>
          entry(ref, zone, start, new Date(start.getTime() + minutes * 60_000)),
        );
        const text = renderFeed({ itemId: 'x', name: 'Riva', timezone: zone }, entries);
        const { events, vtimezones } = readBack(text);
        expect(events).toHaveLength(entries.length);
        for (const e of entries) {
          const read = events.find((v) => v.uid === `booking-${e.ref}@calendar.midas`)!;
          expect(read.start.toISOString()).toBe(e.start.toISOString());
          expect(read.end.toISOString()).toBe(e.end.toISOString());
          // Local time with the item's zone wherever it names the instant alone.
          if (read.tzid !== null) expect(read.tzid).toBe(zone);
          // Away from clock changes, in a zone whose rules have held since 2015, always local time.
          const year = e.start.getUTCFullYear();
          const changes = [year - 1, year, year + 1].flatMap((y) => transitionsOf(zone, y));
          const calm = [e.start, e.end].every((t) =>
            changes.every((c) => Math.abs(c - t.getTime()) > 86_400_000),
          );
          if (calm && !RULES_CHANGED.includes(zone)) expect(read.tzid).toBe(zone);
        }
        const zonesUsed = new Set(events.flatMap((v) => (v.tzid ? [v.tzid] : [])));
        expect(vtimezones.sort()).toEqual([...zonesUsed].sort());
      }),
      { numRuns: 100 },
    );
  });

  it('writes a Monaco booking over the spring change in local time with a VTIMEZONE, one hour long', () => {
    const text = renderFeed({ itemId: 'x', name: 'Riva', timezone: 'Europe/Monaco' }, [
      // 01:30 CET to 03:30 CEST: the clocks skip 02:00 to 03:00.
      entry('a', 'Europe/Monaco', new Date('2037-03-29T00:30:00Z'), new Date('2037-03-29T01:30:00Z')),
    ]);
    expect(text).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/Monaco\r\n');
    expect(text).toContain('DTSTART;TZID=Europe/Monaco:20370329T013000\r\n');
    expect(text).toContain('DTEND;TZID=Europe/Monaco:20370329T033000\r\n');
    // DTSTAMP and LAST-MODIFIED stay in UTC, as RFC 5545 requires.
    expect(text).toContain('DTSTAMP:20361201T000000Z\r\n');
    expect(text).toContain('LAST-MODIFIED:20361201T000000Z\r\n');
    const [read] = readBack(text).events;
    expect(read!.end.getTime() - read!.start.getTime()).toBe(3_600_000);
  });

  it('writes a time in the hour repeated when clocks go back in UTC, so it cannot be read as the other 02:30', () => {
    const first = new Date('2037-10-25T00:30:00Z'); // 02:30 CEST
    const second = new Date('2037-10-25T01:30:00Z'); // 02:30 CET
    const text = renderFeed({ itemId: 'x', name: 'Riva', timezone: 'Europe/Monaco' }, [
      entry('a', 'Europe/Monaco', first, new Date('2037-10-25T06:00:00Z')),
      entry('b', 'Europe/Monaco', second, new Date('2037-10-25T06:00:00Z')),
    ]);
    expect(text).toContain('DTSTART:20371025T003000Z\r\n');
    expect(text).toContain('DTSTART:20371025T013000Z\r\n');
    const events = readBack(text).events;
    expect(events.map((e) => e.start.toISOString()).sort()).toEqual([
      first.toISOString(),
      second.toISOString(),
    ]);
  });

  it("writes a Mexico City booking of 2021 in UTC (summer time then, not in today's rules) and one of 2037 in local time", () => {
    const text = renderFeed({ itemId: 'x', name: 'Casa', timezone: 'America/Mexico_City' }, [
      entry('a', 'America/Mexico_City', new Date('2021-07-01T17:00:00Z'), new Date('2021-07-02T17:00:00Z')),
      entry('b', 'America/Mexico_City', new Date('2037-07-01T18:00:00Z'), new Date('2037-07-02T18:00:00Z')),
    ]);
    expect(text).toContain('DTSTART:20210701T170000Z\r\n');
    expect(text).toContain('DTSTART;TZID=America/Mexico_City:20370701T120000\r\n');
  });

  it('writes UTC times, without a VTIMEZONE, for a zone it has no rules for', () => {
    const text = renderFeed({ itemId: 'x', name: 'Riva', timezone: 'Not/AZone' }, [
      entry('a', 'Not/AZone', new Date('2037-07-01T08:00:00Z'), new Date('2037-07-01T10:00:00Z')),
    ]);
    expect(text).not.toContain('BEGIN:VTIMEZONE');
    expect(text).toContain('DTSTART:20370701T080000Z\r\n');
  });
});
