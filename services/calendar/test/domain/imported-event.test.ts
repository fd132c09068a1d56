import fc from 'fast-check';
import { DateTime } from 'luxon';
import { FeedUnreadable, readFeedEvents, type ReadOptions } from '../../src/domain/imported-event';

const NOW = new Date('2037-01-01T00:00:00Z');
const opts = (over: Partial<ReadOptions> = {}): ReadOptions => ({
  itemZone: 'Europe/Paris',
  now: NOW,
  horizonDays: 730,
  maxEvents: 2000,
  ...over,
});
const feed = (...events: string[][]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//t//t//EN',
    ...events.flatMap((e) => ['BEGIN:VEVENT', ...e, 'END:VEVENT']),
    'END:VCALENDAR',
  ].join('\r\n');
const blocked = (
  text: string,
  o: Partial<ReadOptions> = {},
): { key: string; start?: string; end?: string; none?: string }[] =>
  readFeedEvents(text, opts(o)).events.map((e) => ({
    key: e.key,
    ...(e.decision.kind === 'block'
      ? { start: e.decision.period.start.toISOString(), end: e.decision.period.end.toISOString() }
      : { none: e.decision.reason }),
  }));
const ymd = (d: DateTime) => d.toFormat('yyyyMMdd');
const ZONES = [
  'Europe/Paris',
  'America/New_York',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'UTC',
];

describe('reading an imported iCalendar feed', () => {
  it('blocks an all-day stay as whole local days of the item, 23 hours on the night clocks go forward and 25 when they go back', () => {
    expect(blocked(feed(['UID:a', 'DTSTART;VALUE=DATE:20370328', 'DTEND;VALUE=DATE:20370330']))).toEqual([
      { key: 'a', start: '2037-03-27T23:00:00.000Z', end: '2037-03-29T22:00:00.000Z' },
    ]);
    expect(blocked(feed(['UID:b', 'DTSTART;VALUE=DATE:20371025', 'DTEND;VALUE=DATE:20371026']))).toEqual([
      { key: 'b', start: '2037-10-24T22:00:00.000Z', end: '2037-10-25T23:00:00.000Z' },
    ]);
    // No DTEND: the day itself.
    expect(blocked(feed(['UID:c', 'DTSTART;VALUE=DATE:20370329']))).toEqual([
      { key: 'c', start: '2037-03-28T23:00:00.000Z', end: '2037-03-29T22:00:00.000Z' },
    ]);
  });

  it('property: an all-day event of n days blocks from local midnight of its first day to local midnight after its last, in any zone', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.date({
          min: new Date('2037-01-02T00:00:00Z'),
          max: new Date('2038-12-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 30 }),
        (zone, day, nights) => {
          const first = DateTime.fromJSDate(day, { zone: 'UTC' }).startOf('day');
          const last = first.plus({ days: nights });
          const [event] = readFeedEvents(
            feed(['UID:p', `DTSTART;VALUE=DATE:${ymd(first)}`, `DTEND;VALUE=DATE:${ymd(last)}`]),
            opts({ itemZone: zone }),
          ).events;
          if (event?.decision.kind !== 'block') return false;
          const start = DateTime.fromJSDate(event.decision.period.start, { zone });
          const end = DateTime.fromJSDate(event.decision.period.end, { zone });
          return (
            start.toISODate() === first.toISODate() &&
            end.toISODate() === last.toISODate() &&
            start.equals(start.startOf('day')) &&
            end.equals(end.startOf('day')) &&
            Math.round(end.diff(start, 'days').days) === nights
          );
        },
      ),
    );
  });

  it('property: a timed event keeps its instant whether written in UTC, with an IANA TZID, or with the offset of a VTIMEZONE', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.date({
          min: new Date('2037-01-02T00:00:00Z'),
          max: new Date('2038-12-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 48 * 60 }),
        (zone, at, minutes) => {
          const start = DateTime.fromJSDate(at, { zone }).startOf('minute');
          const end = start.plus({ minutes });
          const utc = (d: DateTime) => d.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");
          const local = (d: DateTime) => d.toFormat("yyyyMMdd'T'HHmmss");
          const read = blocked(
            feed(
              ['UID:u', `DTSTART:${utc(start)}`, `DTEND:${utc(end)}`],
              ['UID:z', `DTSTART;TZID=${zone}:${local(start)}`, `DTEND;TZID=${zone}:${local(end)}`],
            ),
          );
          const want = { start: start.toUTC().toISO(), end: end.toUTC().toISO() };
          const u = read.find((e) => e.key === 'u');
          const z = read.find((e) => e.key === 'z');
          // A wall time repeated when clocks go back names two instants; away from a change it names one.
          const steady = (d: DateTime) =>
            d.offset === d.plus({ hours: 2 }).offset && d.offset === d.minus({ hours: 2 }).offset;
          const near = (a: string | undefined, b: string | null) =>
            Math.abs(Date.parse(a ?? '') - Date.parse(b ?? '')) <= 3_600_000;
          return (
            u?.start === want.start &&
            u?.end === want.end &&
            (steady(start) ? z?.start === want.start : near(z?.start, want.start)) &&
            (steady(end) ? z?.end === want.end : near(z?.end, want.end))
          );
        },
      ),
    );
  });

  it('reads a zone only a VTIMEZONE defines (as Outlook writes them) and floating times in the item zone', () => {
    const vtz = [
      'BEGIN:VTIMEZONE',
      'TZID:W. Europe Standard Time',
      'BEGIN:STANDARD',
      'DTSTART:16011028T030000',
      'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
      'TZOFFSETFROM:+0200',
      'TZOFFSETTO:+0100',
      'END:STANDARD',
      'BEGIN:DAYLIGHT',
      'DTSTART:16010325T020000',
      'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0200',
      'END:DAYLIGHT',
      'END:VTIMEZONE',
    ];
    const text = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      ...vtz,
      'BEGIN:VEVENT',
      'UID:w',
      'DTSTART;TZID=W. Europe Standard Time:20370705T100000',
      'DTEND;TZID=W. Europe Standard Time:20370705T120000',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:f',
      'DTSTART:20370105T100000',
      'DTEND:20370105T120000',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    expect(blocked(text)).toEqual([
      { key: 'f', start: '2037-01-05T09:00:00.000Z', end: '2037-01-05T11:00:00.000Z' },
      { key: 'w', start: '2037-07-05T08:00:00.000Z', end: '2037-07-05T10:00:00.000Z' },
    ]);
  });

  it('expands a weekly rule across a DST change at the same local time, skips EXDATEs and follows a moved occurrence', () => {
    const read = blocked(
      feed(
        [
          'UID:wk',
          'DTSTART;TZID=Europe/Paris:20370315T090000',
          'DTEND;TZID=Europe/Paris:20370315T100000',
          'RRULE:FREQ=WEEKLY;COUNT=4',
          'EXDATE;TZID=Europe/Paris:20370322T090000',
        ],
        [
          'UID:wk',
          'RECURRENCE-ID;TZID=Europe/Paris:20370405T090000',
          'DTSTART;TZID=Europe/Paris:20370406T090000',
          'DTEND;TZID=Europe/Paris:20370406T093000',
        ],
      ),
    );
    expect(read).toEqual([
      { key: 'wk@2037-03-15T09:00:00', start: '2037-03-15T08:00:00.000Z', end: '2037-03-15T09:00:00.000Z' },
      { key: 'wk@2037-03-29T09:00:00', start: '2037-03-29T07:00:00.000Z', end: '2037-03-29T08:00:00.000Z' },
      { key: 'wk@2037-04-05T09:00:00', start: '2037-04-06T07:00:00.000Z', end: '2037-04-06T07:30:00.000Z' },
    ]);
  });

  it('bounds an endless rule by the horizon and a feed by its event limit, earliest kept', () => {
    const daily = feed(['UID:d', 'DTSTART:20361201T100000Z', 'DTEND:20361201T110000Z', 'RRULE:FREQ=DAILY']);
    const read = readFeedEvents(daily, opts({ horizonDays: 10 }));
    expect(read.events).toHaveLength(10);
    expect(read.events[0]!.key).toBe('d@2037-01-01T10:00:00Z');
    const capped = readFeedEvents(daily, opts({ horizonDays: 100, maxEvents: 5 }));
    expect(capped.events.map((e) => e.key)).toEqual([1, 2, 3, 4, 5].map((d) => `d@2037-01-0${d}T10:00:00Z`));
    expect(capped.truncated).toBe(95);
  });

  it('reports cancelled and free events as blocking nothing, leaves out past ones, and keys events without a UID by content', () => {
    const read = blocked(
      feed(
        ['UID:x', 'DTSTART:20370201T100000Z', 'DTEND:20370201T110000Z', 'STATUS:CANCELLED'],
        ['UID:y', 'DTSTART:20370201T100000Z', 'DTEND:20370201T110000Z', 'TRANSP:TRANSPARENT'],
        ['UID:old', 'DTSTART;VALUE=DATE:20200101', 'DTEND;VALUE=DATE:20200102'],
        ['DTSTART:20370202T100000Z', 'DTEND:20370202T110000Z', 'SUMMARY:no uid'],
        ['UID:dup', 'DTSTART:20370203T100000Z', 'DTEND:20370203T110000Z'],
        ['UID:dup', 'DTSTART:20370204T100000Z', 'DTEND:20370204T110000Z'],
      ),
    );
    expect(read.map((e) => e.key)).toEqual([
      'x',
      'y',
      expect.stringMatching(/^nouid:[0-9a-f]{32}$/),
      'dup',
      'dup#2',
    ]);
    expect(read[0]).toMatchObject({ none: 'cancelled' });
    expect(read[1]).toMatchObject({ none: 'free' });
  });

  it.each([
    ['an HTML error page', '<html><body>502 Bad Gateway</body></html>'],
    ['a calendar cut short', 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n'],
    ['an empty body', ''],
    ['a vCard', 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Someone\r\nEND:VCARD'],
  ])('refuses %s as unreadable', (_what, text) => {
    expect(() => readFeedEvents(text, opts())).toThrow(FeedUnreadable);
  });

  it('reads an empty calendar as no events, so everything it blocked is freed', () => {
    expect(readFeedEvents('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n', opts()).events).toEqual([]);
  });
});
