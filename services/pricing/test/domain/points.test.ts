import fc from 'fast-check';
import { pointsCap, pointsValue, redeemPoints, type PointsRate } from '../../src/domain/points';
import { priceStay, type StayPriceInput } from '../../src/domain/stay-price';

const rateArb: fc.Arbitrary<PointsRate> = fc.record({
  pointsPerMajor: fc.oneof(fc.constantFrom(1, 10, 100, 1_000), fc.integer({ min: 1, max: 100_000 })),
  // Out-of-range shares included: the cap must hold whatever is configured.
  maxShareBps: fc.oneof(fc.constantFrom(0, 5_000, 9_000), fc.integer({ min: -5_000, max: 20_000 })),
});
const minorArb = fc.constantFrom(1, 100, 1_000);

describe('points redemption', () => {
  it('never gives more than the points are worth, the cap allows or the price is, nor takes more points than asked', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10, max: 10_000_000 }),
        fc.bigInt({ min: -1_000n, max: 100_000_000_000n }),
        rateArb,
        minorArb,
        (requested, price, rate, minor) => {
          const r = redeemPoints(requested, price, rate, minor);
          expect(r.points).toBeGreaterThanOrEqual(0);
          expect(r.discount).toBeGreaterThanOrEqual(0);
          expect(r.points).toBeLessThanOrEqual(Math.max(0, requested));
          expect(BigInt(r.discount)).toBeLessThanOrEqual(pointsCap(price, rate));
          expect(BigInt(r.discount)).toBeLessThanOrEqual(pointsValue(Math.max(0, requested), rate, minor));
          // Points pay at most 90 % of a price, whatever the configured share.
          expect(BigInt(r.discount) * 10n).toBeLessThanOrEqual(price > 0n ? price * 9n : 0n);
          // The discount is exactly what the points taken are worth: none are given for nothing.
          expect(BigInt(r.discount)).toBe(pointsValue(r.points, rate, minor));
          expect(r.points === 0).toBe(r.discount === 0);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('takes only the points the discount needs: one point fewer is worth less', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.bigInt({ min: 1n, max: 100_000_000_000n }),
        rateArb,
        minorArb,
        (requested, price, rate, minor) => {
          const r = redeemPoints(requested, price, rate, minor);
          if (r.points > 0) {
            expect(pointsValue(r.points - 1, rate, minor)).toBeLessThan(BigInt(r.discount));
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('converts at the configured rate, in whole minor units, capped at the share', () => {
    const eur = { pointsPerMajor: 100, maxShareBps: 5_000 };
    // 100 points are EUR 1: one point per cent.
    expect(redeemPoints(1_000, 100_000n, eur, 100)).toEqual({ points: 1_000, discount: 1_000 });
    // Half of EUR 15.00 at most: 750 points of the 5 000 asked for.
    expect(redeemPoints(5_000, 1_500n, eur, 100)).toEqual({ points: 750, discount: 750 });
    // Half of 1 501 cents is 750.5: rounded down.
    expect(redeemPoints(5_000, 1_501n, eur, 100)).toEqual({ points: 750, discount: 750 });
    // JPY has no minor unit: 100 points a yen, 550 points buy 5 yen for 500 points.
    const jpy = { pointsPerMajor: 100, maxShareBps: 5_000 };
    expect(redeemPoints(550, 10_000n, jpy, 1)).toEqual({ points: 500, discount: 5 });
    expect(redeemPoints(99, 10_000n, jpy, 1)).toEqual({ points: 0, discount: 0 });
    // KWD has 1 000 fils: at 100 points a dinar a point is 10 fils; a 15-fils cap takes 1 point.
    expect(redeemPoints(1_000, 30n, { pointsPerMajor: 100, maxShareBps: 5_000 }, 1_000)).toEqual({
      points: 1,
      discount: 10,
    });
    // A share of zero takes nothing; a share over 90 % is held at 90 %.
    expect(redeemPoints(1_000, 100_000n, { ...eur, maxShareBps: 0 }, 100)).toEqual({
      points: 0,
      discount: 0,
    });
    expect(redeemPoints(1_000_000, 10_000n, { ...eur, maxShareBps: 10_000 }, 100)).toEqual({
      points: 9_000,
      discount: 9_000,
    });
  });
});

describe('points on a stay price', () => {
  const base: StayPriceInput = {
    currency: 'EUR',
    timezone: 'Europe/Monaco',
    start: new Date('2027-03-10T10:00:00Z'),
    end: new Date('2027-03-12T10:00:00Z'),
    rate: { unit: 'day', amount: 100_000 },
    seasons: [],
    tier: { code: 'standard', multiplierBps: 10_000 },
  };
  const inputArb = fc
    .record({
      amount: fc.integer({ min: 0, max: 5_000_000 }),
      days: fc.integer({ min: 1, max: 30 }),
      perk: fc.constantFrom(0, 500, 1_000),
      addOn: fc.integer({ min: 0, max: 1_000_000 }),
      tax: fc.option(fc.record({ rateBps: fc.integer({ min: 0, max: 3_000 }), inclusive: fc.boolean() }), {
        nil: null,
      }),
      requested: fc.integer({ min: 1, max: 50_000_000 }),
      rate: rateArb,
    })
    .map((r) => ({
      input: {
        ...base,
        end: new Date(base.start.getTime() + r.days * 86_400_000),
        rate: { unit: 'day' as const, amount: r.amount },
        loyalty: { tier: 'vvip', discountBps: r.perk },
        addOns: [{ code: 'chef', name: 'Chef', pricing: 'flat' as const, amount: r.addOn, quantity: 1 }],
        tax: r.tax && { name: 'VAT', ...r.tax },
      },
      points: { requested: r.requested, rate: r.rate },
    }));

  it('a points line only ever lowers the price, adds up, and never takes the total below zero', () => {
    fc.assert(
      fc.property(inputArb, ({ input, points }) => {
        const without = priceStay(input);
        const withPoints = priceStay({ ...input, points });
        expect(withPoints.total).toBeLessThanOrEqual(without.total);
        expect(withPoints.total).toBeGreaterThanOrEqual(0);
        expect(withPoints.lines.reduce((n, l) => n + l.amount, 0)).toBe(withPoints.total);
        const line = withPoints.lines.filter((l) => l.code === 'points');
        expect(line.length).toBe(withPoints.pointsRedeemed > 0 ? 1 : 0);
        for (const l of line) expect(l.amount).toBeLessThan(0);
        expect(withPoints.pointsRedeemed).toBeLessThanOrEqual(points.requested);
        // The same stay with the same perk: only the points line (and tax on less) differ.
        expect(withPoints.lines.find((l) => l.code === 'loyalty')).toEqual(
          without.lines.find((l) => l.code === 'loyalty'),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('applies points to the price before tax, after the loyalty perk and add-ons', () => {
    const price = priceStay({
      ...base,
      loyalty: { tier: 'premium', discountBps: 500 },
      addOns: [{ code: 'chef', name: 'Chef', pricing: 'flat', amount: 10_000, quantity: 1 }],
      points: { requested: 2_500, rate: { pointsPerMajor: 100, maxShareBps: 5_000 } },
      tax: { name: 'VAT', rateBps: 2_000, inclusive: false },
    });
    // 200 000 - 5 % = 190 000, + 10 000 chef = 200 000, - 2 500 points = 197 500, + 20 % VAT = 237 000.
    expect(price.lines.map((l) => [l.code, l.amount])).toEqual([
      ['base', 200_000],
      ['tier', 0],
      ['loyalty', -10_000],
      ['addon:chef', 10_000],
      ['points', -2_500],
      ['tax', 39_500],
    ]);
    expect(price.total).toBe(237_000);
    expect(price.pointsRedeemed).toBe(2_500);
    expect(price.lines.find((l) => l.code === 'points')?.description).toBe('Loyalty points: 2,500 redeemed');
  });
});
