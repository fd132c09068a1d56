import fc from 'fast-check';
import { explainAvailability, type ItemRules, type Occupation, type Reason } from '../../src/domain/reasons';
import { conflictReasonsMs, searchExplainer, type OccupationMs } from '../../src/domain/search-reasons';
import { withBuffer, type Period } from '../../src/domain/period';
import { DEFAULT_BUFFER_MINUTES, DEFAULT_DURATION_LIMITS } from '../../src/domain/item-defaults';

// 2026-03-29 01:00 UTC is when Europe/Monaco springs forward; the minutes below run across it,
// and across New York's and Sydney's own changes, so day-counted limits meet 23- and 25-hour days.
const BASE = Date.UTC(2026, 2, 27);
const MIN = 60_000;

// Instants fall on a half-hour grid so that ties (equal starts, an expiry at `now`, a buffer
// ending where a booking starts) come up often.
const slot = (min: number, max: number) => fc.integer({ min, max }).map((n) => n * 30);
const period = fc.tuple(slot(-60, 600), slot(1, 200)).map(([offset, length]): Period => ({
  start: new Date(BASE + offset * MIN),
  end: new Date(BASE + (offset + length) * MIN),
}));
const buffer = fc.constantFrom(0, 1, 30, ...Object.values(DEFAULT_BUFFER_MINUTES));
const occupation = fc
  .tuple(
    fc.constantFrom('hold' as const, 'booking' as const, 'blackout' as const),
    period,
    buffer,
    slot(-100, 100),
  )
  .map(([kind, p, b, expiresIn]): Occupation => ({
    kind,
    period: p,
    blocked: withBuffer(p, kind === 'blackout' ? 0 : b),
    expiresAt: kind === 'hold' ? new Date(BASE + expiresIn * MIN) : null,
  }));
const limits = fc.constantFrom(
  ...Object.values(DEFAULT_DURATION_LIMITS),
  { minDuration: 'PT30M', maxDuration: 'PT6H' },
  { minDuration: 'P1D', maxDuration: 'P2D' },
  { minDuration: 'P1W', maxDuration: 'P4W' },
);
const rules = fc
  .record({
    active: fc.boolean(),
    timezone: fc.constantFrom('Europe/Monaco', 'America/New_York', 'Australia/Sydney', 'UTC', 'Asia/Dubai'),
    bufferMinutes: buffer,
    minNoticeMinutes: fc.constantFrom(0, 15, 60, 1_440, 10_080),
    limits,
  })
  .map(({ limits: l, ...r }): ItemRules => ({ ...r, ...l }));
const instant = slot(-100, 600).map((m) => new Date(BASE + m * MIN));

function toMs(o: Occupation): OccupationMs {
  return {
    kind: o.kind,
    start: o.period.start.getTime(),
    end: o.period.end.getTime(),
    blockedEnd: o.blocked.end.getTime(),
    expiresAt: o.expiresAt ? o.expiresAt.getTime() : null,
  };
}

const reasonMs = (r: Reason) => ({ code: r.code, start: r.start.getTime(), end: r.end.getTime() });

describe('search reasons', () => {
  it('equal explainAvailability for every item of a search, with rule reasons shared between items', () => {
    fc.assert(
      fc.property(
        period,
        instant,
        fc.array(fc.tuple(rules, fc.array(occupation, { maxLength: 6 })), { minLength: 1, maxLength: 12 }),
        (wanted, now, items) => {
          const explain = searchExplainer(wanted.start.getTime(), wanted.end.getTime(), now.getTime());
          for (const [r, occs] of items) {
            const expected = explainAvailability(r, wanted, occs, now);
            const got = explain(r, occs.map(toMs));
            expect(got).toEqual({ available: expected.available, reasons: expected.reasons.map(reasonMs) });
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('give the same answer for an item whether its rule set was seen before in the search or not', () => {
    fc.assert(
      fc.property(period, instant, rules, fc.array(occupation, { maxLength: 4 }), (wanted, now, r, occs) => {
        const fresh = searchExplainer(wanted.start.getTime(), wanted.end.getTime(), now.getTime());
        const shared = searchExplainer(wanted.start.getTime(), wanted.end.getTime(), now.getTime());
        shared({ ...r, bufferMinutes: r.bufferMinutes + 5 }, []);
        expect(shared(r, occs.map(toMs))).toEqual(fresh(r, occs.map(toMs)));
      }),
    );
  });

  it('keep an item busy through the buffer after a booking, to the minute', () => {
    const booked: OccupationMs = {
      kind: 'booking',
      start: BASE + 8 * 60 * MIN,
      end: BASE + 12 * 60 * MIN,
      blockedEnd: BASE + 14 * 60 * MIN,
      expiresAt: null,
    };
    const at = (h: number, m = 0) => BASE + (h * 60 + m) * MIN;
    expect(conflictReasonsMs(at(13, 59), at(16), 120, [booked], BASE)).toEqual([
      { code: 'buffer', start: at(12), end: at(14) },
    ]);
    expect(conflictReasonsMs(at(14), at(16), 120, [booked], BASE)).toEqual([]);
  });

  it('order reasons that start together by code, as explainAvailability does', () => {
    const at = (h: number) => new Date(BASE + h * 60 * MIN);
    const occs: Occupation[] = [
      { kind: 'booking', period: { start: at(10), end: at(12) }, blocked: { start: at(10), end: at(14) } },
      { kind: 'blackout', period: { start: at(12), end: at(13) }, blocked: { start: at(12), end: at(13) } },
    ];
    const rules: ItemRules = {
      active: true,
      timezone: 'UTC',
      bufferMinutes: 0,
      minNoticeMinutes: 0,
      ...DEFAULT_DURATION_LIMITS.car,
    };
    const wanted = { start: at(12), end: at(13) };
    const got = searchExplainer(at(12).getTime(), at(13).getTime(), BASE)(rules, occs.map(toMs));
    expect(got.reasons.map((r) => r.code)).toEqual(['blackout', 'buffer']);
    expect(got.reasons).toEqual(
      explainAvailability(rules, wanted, occs, new Date(BASE)).reasons.map(reasonMs),
    );
  });

  it('ignore a lapsed hold and name a live one', () => {
    const hold: OccupationMs = {
      kind: 'hold',
      start: BASE + 60 * MIN,
      end: BASE + 120 * MIN,
      blockedEnd: BASE + 240 * MIN,
      expiresAt: BASE,
    };
    expect(conflictReasonsMs(BASE + 60 * MIN, BASE + 90 * MIN, 0, [hold], BASE)).toEqual([]);
    expect(
      conflictReasonsMs(BASE + 60 * MIN, BASE + 90 * MIN, 0, [{ ...hold, expiresAt: BASE + 1 }], BASE),
    ).toEqual([{ code: 'held', start: BASE + 60 * MIN, end: BASE + 120 * MIN }]);
  });
});
