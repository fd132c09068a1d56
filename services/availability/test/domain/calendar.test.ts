import fc from 'fast-check';
import { calendarEntries, type CalendarRow } from '../../src/domain/calendar';
import { withBuffer } from '../../src/domain/period';

const BASE = Date.UTC(2026, 5, 1);
const MIN = 60_000;
const row = fc
  .tuple(
    fc.constantFrom('hold' as const, 'booking' as const, 'blackout' as const),
    fc.integer({ min: 0, max: 10_000 }),
    fc.integer({ min: 1, max: 2_000 }),
    fc.constantFrom(0, 120, 720),
    fc.uuid(),
  )
  .map(([kind, offset, length, buffer, id]): CalendarRow => {
    const period = { start: new Date(BASE + offset * MIN), end: new Date(BASE + (offset + length) * MIN) };
    return {
      id,
      kind,
      ref: kind === 'blackout' ? null : `booking-${id}`,
      reason: kind === 'blackout' ? 'engine service' : null,
      period,
      blocked: withBuffer(period, kind === 'blackout' ? 0 : buffer),
      expiresAt: kind === 'hold' ? new Date(BASE + 60 * MIN) : null,
    };
  });

describe('calendar entries', () => {
  it('give guests anonymous busy blocks: kind and times only', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 10 }), (rows) => {
        for (const entry of calendarEntries(rows, new Date(BASE), false)) {
          expect(Object.keys(entry).sort()).toEqual(['end', 'kind', 'start']);
        }
      }),
    );
  });

  it('show one block per live occupation plus one per buffer, sorted by start', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 10 }), (rows) => {
        const entries = calendarEntries(rows, new Date(BASE), true);
        const buffers = rows.filter((r) => r.blocked.end.getTime() > r.period.end.getTime()).length;
        expect(entries.length).toBe(rows.length + buffers);
        for (let i = 1; i < entries.length; i++) {
          expect(entries[i]!.start.getTime()).toBeGreaterThanOrEqual(entries[i - 1]!.start.getTime());
        }
      }),
    );
  });

  it('leaves out holds that have lapsed', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 10 }), (rows) => {
        const later = new Date(BASE + 61 * MIN);
        const entries = calendarEntries(rows, later, true);
        expect(entries.some((e) => e.kind === 'hold')).toBe(false);
      }),
    );
  });
});
