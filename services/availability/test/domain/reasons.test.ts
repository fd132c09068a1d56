import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  conflictReasons,
  explainAvailability,
  ruleReasons,
  type ItemRules,
  type Occupation,
} from '../../src/domain/reasons';
import { overlaps, withBuffer, type Period } from '../../src/domain/period';
import { DEFAULT_BUFFER_MINUTES, DEFAULT_DURATION_LIMITS } from '../../src/domain/item-defaults';

const BASE = Date.UTC(2026, 5, 1);
const MIN = 60_000;
const period = fc
  .tuple(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 3_000 }))
  .map(([offset, length]): Period => ({
    start: new Date(BASE + offset * MIN),
    end: new Date(BASE + (offset + length) * MIN),
  }));
const buffer = fc.constantFrom(0, 30, ...Object.values(DEFAULT_BUFFER_MINUTES));
const occupation = fc
  .tuple(
    fc.constantFrom('hold' as const, 'booking' as const, 'blackout' as const),
    period,
    buffer,
    fc.integer({ min: -600, max: 600 }),
  )
  .map(([kind, p, b, expiresIn]): Occupation => ({
    kind,
    period: p,
    blocked: withBuffer(p, kind === 'blackout' ? 0 : b),
    expiresAt: kind === 'hold' ? new Date(BASE + expiresIn * MIN) : null,
  }));
const now = new Date(BASE);

const car: ItemRules = {
  active: true,
  timezone: 'Europe/Monaco',
  bufferMinutes: DEFAULT_BUFFER_MINUTES.car,
  minNoticeMinutes: 0,
  ...DEFAULT_DURATION_LIMITS.car,
};

describe('conflict reasons', () => {
  it('name a conflict exactly when the exclusion constraint would refuse the slot', () => {
    fc.assert(
      fc.property(period, buffer, fc.array(occupation, { maxLength: 8 }), (wanted, b, occs) => {
        const live = occs.filter((o) => o.kind !== 'hold' || o.expiresAt!.getTime() > now.getTime());
        const constraintRefuses = live.some((o) => overlaps(withBuffer(wanted, b), o.blocked));
        const reasons = conflictReasons(wanted, b, occs, now);
        expect(reasons.length > 0).toBe(constraintRefuses);
        expect(reasons.length).toBe(live.filter((o) => overlaps(withBuffer(wanted, b), o.blocked)).length);
      }),
    );
  });

  it('say booked, held or blackout only when the periods themselves overlap, and buffer otherwise', () => {
    fc.assert(
      fc.property(period, buffer, occupation, (wanted, b, o) => {
        const reasons = conflictReasons(wanted, b, [o], new Date(BASE - 1_000 * MIN));
        if (reasons.length === 0) return;
        const [reason] = reasons;
        expect(reason!.code === 'buffer').toBe(!overlaps(wanted, o.period));
        expect(reason!.end.getTime()).toBeGreaterThan(reason!.start.getTime());
      }),
    );
  });

  it('treat a lapsed hold as free even before anything deactivates it', () => {
    const p = { start: new Date(BASE + 60 * MIN), end: new Date(BASE + 120 * MIN) };
    const lapsed: Occupation = {
      kind: 'hold',
      period: p,
      blocked: withBuffer(p, 120),
      expiresAt: new Date(BASE - MIN),
    };
    expect(conflictReasons(p, 120, [lapsed], now)).toEqual([]);
    const live: Occupation = { ...lapsed, expiresAt: new Date(BASE + MIN) };
    expect(conflictReasons(p, 120, [live], now).map((r) => r.code)).toEqual(['held']);
  });

  it('keep a car that was booked until 12:00 busy until 14:00: 13:59 is refused, 14:00 allowed', () => {
    const at = (hhmm: string) => DateTime.fromISO(`2026-07-01T${hhmm}`, { zone: 'UTC' }).toJSDate();
    const booked = { start: at('08:00'), end: at('12:00') };
    const occ: Occupation = {
      kind: 'booking',
      period: booked,
      blocked: withBuffer(booked, DEFAULT_BUFFER_MINUTES.car),
    };
    const early = conflictReasons({ start: at('13:59'), end: at('16:00') }, 120, [occ], now);
    expect(early).toEqual([{ code: 'buffer', start: at('12:00'), end: at('14:00') }]);
    expect(conflictReasons({ start: at('14:00'), end: at('16:00') }, 120, [occ], now)).toEqual([]);
    // The new booking's own buffer must also end before the next one starts.
    expect(conflictReasons({ start: at('05:00'), end: at('06:01') }, 120, [occ], now)).toEqual([
      { code: 'buffer', start: at('06:01'), end: at('08:01') },
    ]);
  });
});

describe('rule reasons', () => {
  it('report min_notice exactly when the start is within the notice period', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_880 }),
        fc.integer({ min: 0, max: 5_000 }),
        (notice, startIn) => {
          const start = new Date(BASE + startIn * MIN);
          const reasons = ruleReasons(
            { ...car, minNoticeMinutes: notice },
            { start, end: new Date(start.getTime() + 120 * MIN) },
            now,
          );
          expect(reasons.some((r) => r.code === 'min_notice')).toBe(startIn < notice);
        },
      ),
    );
  });

  it('report a start in the past, an inactive item, and stays too short or too long', () => {
    const codes = (rules: ItemRules, startIn: number, minutes: number) =>
      ruleReasons(
        rules,
        { start: new Date(BASE + startIn * MIN), end: new Date(BASE + (startIn + minutes) * MIN) },
        now,
      ).map((r) => r.code);
    expect(codes(car, -10, 120)).toEqual(['in_past']);
    expect(codes({ ...car, active: false }, 10, 120)).toEqual(['inactive']);
    expect(codes(car, 10, 59)).toEqual(['too_short']);
    expect(codes(car, 10, 31 * 24 * 60)).toEqual(['too_long']);
    expect(codes(car, 10, 60)).toEqual([]);
  });

  it('call a slot available exactly when no rule and no occupation stands in the way', () => {
    fc.assert(
      fc.property(period, fc.array(occupation, { maxLength: 5 }), (wanted, occs) => {
        const result = explainAvailability(car, wanted, occs, now);
        const expected =
          ruleReasons(car, wanted, now).length +
            conflictReasons(wanted, car.bufferMinutes, occs, now).length ===
          0;
        expect(result.available).toBe(expected);
      }),
    );
  });
});
