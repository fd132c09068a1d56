import fc from 'fast-check';
import { calculateRefund, refundPolicyProblems, type RefundPolicy } from '../../src/domain/refund';

const car: RefundPolicy = {
  itemType: 'car',
  windows: [
    { minHoursBefore: 48, refundBps: 10_000 },
    { minHoursBefore: 24, refundBps: 5_000 },
  ],
  processingFeeBps: 200,
  noShowRefundBps: 2_500,
};
const start = new Date('2026-08-10T10:00:00Z');
const hoursBefore = (h: number) => new Date(start.getTime() - h * 3_600_000);

describe('refund examples', () => {
  it('refunds a car cancelled 48 hours ahead in full, less the 2 % processing fee', () => {
    // 100 000 paid, 100 % = 100 000, fee 2 % of it = 2 000, refund 98 000
    const r = calculateRefund(car, {
      start,
      cancelledAt: hoursBefore(48),
      paidAmount: 100_000,
      forceMajeure: false,
      reason: 'cancellation',
    });
    expect(r).toEqual({ amount: 98_000, fee: 2_000, rule: 'car:cancellation:>=48h', percent: 100 });
  });

  it('refunds half of a car cancelled between 24 and 48 hours ahead, less the fee on that half', () => {
    // 100 001 paid, 50 % = 50 000.5 -> 50 001, fee 2 % = 1 000.02 -> 1 000, refund 49 001
    const r = calculateRefund(car, {
      start,
      cancelledAt: hoursBefore(47.99),
      paidAmount: 100_001,
      forceMajeure: false,
      reason: 'cancellation',
    });
    expect(r).toEqual({ amount: 49_001, fee: 1_000, rule: 'car:cancellation:>=24h', percent: 50 });
  });

  it('refunds nothing and charges no fee for a car cancelled less than 24 hours ahead', () => {
    const r = calculateRefund(car, {
      start,
      cancelledAt: hoursBefore(23),
      paidAmount: 100_000,
      forceMajeure: false,
      reason: 'cancellation',
    });
    expect(r).toEqual({ amount: 0, fee: 0, rule: 'car:cancellation:<24h', percent: 0 });
  });

  it('refunds everything without a fee under force majeure, even after the start', () => {
    const r = calculateRefund(car, {
      start,
      cancelledAt: hoursBefore(-5),
      paidAmount: 123_457,
      forceMajeure: true,
      reason: 'cancellation',
    });
    expect(r).toEqual({ amount: 123_457, fee: 0, rule: 'force_majeure', percent: 100 });
  });

  it('applies the no-show share for an admin no-show refund', () => {
    // 100 000 × 25 % = 25 000, fee 2 % = 500, refund 24 500
    const r = calculateRefund(car, {
      start,
      cancelledAt: hoursBefore(-2),
      paidAmount: 100_000,
      forceMajeure: false,
      reason: 'no_show',
    });
    expect(r).toEqual({ amount: 24_500, fee: 500, rule: 'car:no_show', percent: 25 });
  });

  it('refuses policies where less notice would refund more or two windows start together', () => {
    expect(
      refundPolicyProblems({
        windows: [
          { minHoursBefore: 48, refundBps: 5_000 },
          { minHoursBefore: 24, refundBps: 10_000 },
        ],
      }),
    ).toHaveLength(1);
    expect(
      refundPolicyProblems({
        windows: [
          { minHoursBefore: 24, refundBps: 5_000 },
          { minHoursBefore: 24, refundBps: 2_000 },
        ],
      }),
    ).toHaveLength(1);
    expect(refundPolicyProblems(car)).toEqual([]);
  });
});

const policyArb: fc.Arbitrary<RefundPolicy> = fc
  .record({
    hours: fc.uniqueArray(fc.integer({ min: 0, max: 2_000 }), { maxLength: 5 }),
    shares: fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 5, maxLength: 5 }),
    processingFeeBps: fc.integer({ min: 0, max: 10_000 }),
    noShowRefundBps: fc.integer({ min: 0, max: 10_000 }),
  })
  .map(({ hours, shares, processingFeeBps, noShowRefundBps }) => {
    // Valid policies: more notice never refunds less.
    const sortedHours = [...hours].sort((a, b) => b - a);
    const sortedShares = [...shares].sort((a, b) => b - a);
    return {
      itemType: 'yacht',
      windows: sortedHours.map((h, i) => ({ minHoursBefore: h, refundBps: sortedShares[i]! })),
      processingFeeBps,
      noShowRefundBps,
    };
  });
const requestArb = fc.record({
  noticeMinutes: fc.integer({ min: -10_000, max: 200_000 }),
  paidAmount: fc.integer({ min: 0, max: 1_000_000_000_000 }),
  reason: fc.constantFrom('cancellation' as const, 'no_show' as const),
});

describe('refund properties', () => {
  it('never refunds more than was paid nor less than nothing', () => {
    fc.assert(
      fc.property(policyArb, requestArb, (policy, r) => {
        const out = calculateRefund(policy, {
          start,
          cancelledAt: new Date(start.getTime() - r.noticeMinutes * 60_000),
          paidAmount: r.paidAmount,
          forceMajeure: false,
          reason: r.reason,
        });
        expect(out.amount).toBeGreaterThanOrEqual(0);
        expect(out.amount + out.fee).toBeLessThanOrEqual(r.paidAmount);
      }),
    );
  });

  it('force majeure refunds everything with no fee', () => {
    fc.assert(
      fc.property(policyArb, requestArb, (policy, r) => {
        const out = calculateRefund(policy, {
          start,
          cancelledAt: new Date(start.getTime() - r.noticeMinutes * 60_000),
          paidAmount: r.paidAmount,
          forceMajeure: true,
          reason: r.reason,
        });
        expect(out).toMatchObject({ amount: r.paidAmount, fee: 0, percent: 100 });
      }),
    );
  });

  it('cancelling earlier never refunds less', () => {
    fc.assert(
      fc.property(policyArb, requestArb, fc.integer({ min: 0, max: 100_000 }), (policy, r, earlierBy) => {
        const at = (notice: number) =>
          calculateRefund(policy, {
            start,
            cancelledAt: new Date(start.getTime() - notice * 60_000),
            paidAmount: r.paidAmount,
            forceMajeure: false,
            reason: 'cancellation',
          }).amount;
        expect(at(r.noticeMinutes + earlierBy)).toBeGreaterThanOrEqual(at(r.noticeMinutes));
      }),
    );
  });
});
