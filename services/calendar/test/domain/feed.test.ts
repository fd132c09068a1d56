import fc from 'fast-check';
import { DateTime } from 'luxon';
import { renderFeed, type FeedEntry } from '../../src/domain/feed';
import { parseEvents } from '../support/ics';

const entryArb = fc
  .record({
    kind: fc.constantFrom('booking' as const, 'blackout' as const),
    ref: fc.uuid(),
    startMin: fc.integer({ min: 0, max: 500_000 }),
    lengthMin: fc.integer({ min: 30, max: 20_000 }),
    status: fc.constantFrom('confirmed', 'cancelled', 'pending_payment', 'active', 'deleted'),
    sequence: fc.nat({ max: 50 }),
    summary: fc.string({ minLength: 1, maxLength: 80 }),
  })
  .map((r): FeedEntry => ({
    kind: r.kind,
    ref: r.ref,
    itemId: '0a0c1a52-8d5e-4b8e-9a51-0b7f1f6c2d11',
    itemType: 'car',
    timezone: 'Europe/Monaco',
    start: new Date(Date.UTC(2037, 0, 1) + r.startMin * 60_000),
    end: new Date(Date.UTC(2037, 0, 1) + (r.startMin + r.lengthMin) * 60_000),
    status: r.status,
    summary: r.summary,
    sequence: r.sequence,
    updatedAt: new Date('2036-12-01T00:00:00Z'),
  }));

describe('iCalendar feed', () => {
  it('renders one VEVENT per entry with its UID, SEQUENCE and local times in the item zone, byte-identical on every render', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(entryArb, { selector: (e) => `${e.kind}${e.ref}`, maxLength: 10 }),
        (entries) => {
          const item = { itemId: 'x', name: 'Ferrari Roma', timezone: 'Europe/Monaco' };
          const text = renderFeed(item, entries);
          expect(renderFeed(item, [...entries].reverse())).toBe(text);
          const events = parseEvents(text);
          expect(events).toHaveLength(entries.length);
          for (const e of entries) {
            const ev = events.find((v) => v.UID === `${e.kind}-${e.ref}@calendar.midas`);
            expect(ev?.SEQUENCE).toBe(String(e.sequence));
            // In Monaco's time, except within the hour repeated when clocks go back (then UTC).
            const local = DateTime.fromJSDate(e.start, { zone: 'Europe/Monaco' }).toFormat(
              "yyyyLLdd'T'HHmmss",
            );
            const utc = DateTime.fromJSDate(e.start, { zone: 'UTC' }).toFormat("yyyyLLdd'T'HHmmss'Z'");
            expect([local, utc]).toContain(ev?.DTSTART);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
