import fc from 'fast-check';
import {
  LOYALTY_TIERS,
  applyCompletedBooking,
  applyPayment,
  pointsFor,
  tierAfter,
  tierRank,
  type CustomerStanding,
  type LoyaltyTier,
  type TierRule,
} from '../../src/domain';

const RULES: TierRule[] = [
  { tier: 'standard', currency: 'EUR', minLifetimeValue: 0, pointsPermille: 1000 },
  { tier: 'premium', currency: 'EUR', minLifetimeValue: 50_000_00, pointsPermille: 1300 },
  { tier: 'vvip', currency: 'EUR', minLifetimeValue: 250_000_00, pointsPermille: 1800 },
  { tier: 'premium', currency: 'JPY', minLifetimeValue: 7_500_000, pointsPermille: 1300 },
];
const tier = fc.constantFrom<LoyaltyTier>(...LOYALTY_TIERS);
const amount = fc.integer({ min: 0, max: 100_000_000 });
const currency = fc.constantFrom('EUR', 'USD', 'JPY', 'KWD');

describe('loyalty', () => {
  it('earns paid major units times the tier multiplier, rounded down', () => {
    expect(pointsFor(1234_56, 'EUR', 1000)).toBe(1234);
    expect(pointsFor(1000_00, 'EUR', 1300)).toBe(1300);
    expect(pointsFor(1000_00, 'EUR', 1800)).toBe(1800);
    expect(pointsFor(5000, 'JPY', 1300)).toBe(6500);
  });

  it('earns never negative points, more for more money and for a higher multiplier', () => {
    fc.assert(
      fc.property(amount, amount, currency, fc.integer({ min: 1000, max: 3000 }), (a, b, cur, permille) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(pointsFor(lo, cur, permille)).toBeGreaterThanOrEqual(0);
        expect(pointsFor(lo, cur, permille)).toBeLessThanOrEqual(pointsFor(hi, cur, permille));
        expect(pointsFor(lo, cur, 1000)).toBeLessThanOrEqual(pointsFor(lo, cur, permille));
        // Paying in two parts never earns more than paying at once.
        expect(pointsFor(lo, cur, permille) + pointsFor(hi, cur, permille)).toBeLessThanOrEqual(
          pointsFor(lo + hi, cur, permille),
        );
      }),
    );
  });

  it('upgrades at the thresholds and never downgrades on its own', () => {
    expect(tierAfter('standard', { EUR: 49_999_99 }, RULES)).toBe('standard');
    expect(tierAfter('standard', { EUR: 50_000_00 }, RULES)).toBe('premium');
    expect(tierAfter('standard', { EUR: 250_000_00 }, RULES)).toBe('vvip');
    expect(tierAfter('vvip', { EUR: 0 }, RULES)).toBe('vvip');
    expect(tierAfter('standard', { USD: 10_000_000_00 }, RULES)).toBe('standard');
    fc.assert(
      fc.property(tier, amount, amount, (current, v1, v2) => {
        const [lo, hi] = v1 <= v2 ? [v1, v2] : [v2, v1];
        const low = tierAfter(current, { EUR: lo }, RULES);
        const high = tierAfter(current, { EUR: hi }, RULES);
        expect(tierRank(low)).toBeGreaterThanOrEqual(tierRank(current));
        expect(tierRank(high)).toBeGreaterThanOrEqual(tierRank(low));
      }),
    );
  });

  it('tracks lifetime value per currency and takes back the points of a refund, never below zero', () => {
    fc.assert(
      fc.property(tier, amount, amount, currency, (t, paid, refunded, cur) => {
        const start = { tier: t, points: 0, lifetimeValues: {} };
        const afterPay = applyPayment(start, paid, cur, RULES);
        expect(afterPay.lifetimeValues[cur]).toBe(paid);
        expect(afterPay.points).toBe(afterPay.pointsDelta);
        const afterRefund = applyPayment(afterPay, -refunded, cur, RULES);
        expect(afterRefund.lifetimeValues[cur]).toBe(Math.max(0, paid - refunded));
        expect(afterRefund.points).toBeGreaterThanOrEqual(0);
        expect(afterRefund.points).toBeLessThanOrEqual(afterPay.points);
        expect(tierRank(afterRefund.tier)).toBeGreaterThanOrEqual(tierRank(afterPay.tier));
      }),
    );
  });

  it('earns at the new rate only after the payment that upgraded the tier', () => {
    const before = { tier: 'standard' as const, points: 0, lifetimeValues: { EUR: 49_000_00 } };
    const upgraded = applyPayment(before, 2_000_00, 'EUR', RULES);
    expect(upgraded.tier).toBe('premium');
    expect(upgraded.pointsDelta).toBe(2000);
    expect(applyPayment(upgraded, 1_000_00, 'EUR', RULES).pointsDelta).toBe(1300);
  });
});

describe('tier upgrades from booking history', () => {
  const HISTORY: TierRule[] = [
    {
      tier: 'standard',
      currency: 'EUR',
      minLifetimeValue: 0,
      pointsPermille: 1000,
      minCompletedBookings: null,
    },
    {
      tier: 'premium',
      currency: 'EUR',
      minLifetimeValue: 50_000_00,
      pointsPermille: 1300,
      minCompletedBookings: 10,
    },
    {
      tier: 'vvip',
      currency: 'EUR',
      minLifetimeValue: 250_000_00,
      pointsPermille: 1800,
      minCompletedBookings: 30,
    },
  ];

  it('upgrades a customer with little spend once enough bookings are completed', () => {
    let standing: CustomerStanding = { tier: 'standard', points: 0, lifetimeValues: { EUR: 1_000_00 } };
    for (let i = 0; i < 9; i++) standing = applyCompletedBooking(standing, HISTORY);
    expect(standing).toMatchObject({ tier: 'standard', completedBookings: 9 });
    standing = applyCompletedBooking(standing, HISTORY);
    expect(standing).toMatchObject({ tier: 'premium', completedBookings: 10 });
    // Spend alone still upgrades too.
    expect(tierAfter('standard', { EUR: 250_000_00 }, HISTORY, 0)).toBe('vvip');
  });

  it('reaches the highest tier either path allows, never lower than now, and more history never lowers it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LOYALTY_TIERS),
        fc.integer({ min: 0, max: 400_000_00 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 20 }),
        (current, spent, done, more) => {
          const tier = tierAfter(current, { EUR: spent }, HISTORY, done);
          expect(tierRank(tier)).toBeGreaterThanOrEqual(tierRank(current));
          const bySpend = tierAfter('standard', { EUR: spent }, HISTORY, 0);
          const byHistory = tierAfter('standard', {}, HISTORY, done);
          expect(tierRank(tier)).toBe(Math.max(tierRank(current), tierRank(bySpend), tierRank(byHistory)));
          expect(tierRank(tierAfter(current, { EUR: spent }, HISTORY, done + more))).toBeGreaterThanOrEqual(
            tierRank(tier),
          );
        },
      ),
    );
  });

  it('ignores booking history for tiers without a completed-bookings threshold', () => {
    expect(tierAfter('standard', {}, RULES, 1_000)).toBe('standard');
  });
});
