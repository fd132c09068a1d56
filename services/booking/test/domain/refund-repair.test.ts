import fc from 'fast-check';
import { nextRepairAt, repairDelayMs, type RepairBackoff } from '../../src/domain';

const backoff = fc
  .tuple(fc.integer({ min: 1, max: 600_000 }), fc.integer({ min: 1, max: 86_400_000 }))
  .map(([baseMs, extra]): RepairBackoff => ({ baseMs, maxMs: baseMs + extra }));
const attempts = fc.integer({ min: 1, max: 10_000 });

describe('refund repair backoff', () => {
  it('waits at least the base and at most the cap after any number of visits', () => {
    fc.assert(
      fc.property(backoff, attempts, (b, n) => {
        const wait = repairDelayMs(n, b);
        expect(wait).toBeGreaterThanOrEqual(b.baseMs);
        expect(wait).toBeLessThanOrEqual(b.maxMs);
        expect(Number.isFinite(wait)).toBe(true);
      }),
    );
  });

  it('never waits less after more visits, and doubles until the cap', () => {
    fc.assert(
      fc.property(backoff, attempts, (b, n) => {
        const now = repairDelayMs(n, b);
        const next = repairDelayMs(n + 1, b);
        expect(next).toBeGreaterThanOrEqual(now);
        expect(next).toBe(Math.min(b.maxMs, now * 2));
      }),
    );
  });

  it('waits the base after the first visit and reaches the cap eventually', () => {
    const b = { baseMs: 30_000, maxMs: 3_600_000 };
    expect(repairDelayMs(1, b)).toBe(30_000);
    expect(repairDelayMs(2, b)).toBe(60_000);
    expect(repairDelayMs(8, b)).toBe(3_600_000);
    expect(nextRepairAt(new Date('2030-01-01T00:00:00Z'), 1, b).toISOString()).toBe(
      '2030-01-01T00:00:30.000Z',
    );
  });
});
