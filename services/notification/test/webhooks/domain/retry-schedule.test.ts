import fc from 'fast-check';
import {
  DEFAULT_RETRY_POLICY,
  nominalDelay,
  retryDelay,
  scheduleSpan,
} from '../../../src/webhooks/domain/retry-schedule';

describe('webhook retry schedule', () => {
  it('spreads the default attempts over about a day', () => {
    const span = scheduleSpan(DEFAULT_RETRY_POLICY);
    expect(span).toBeGreaterThan(20 * 3600_000);
    expect(span).toBeLessThan(30 * 3600_000);
  });

  it('doubles each delay until the cap, and never exceeds it', () => {
    const policy = fc.record({
      attempts: fc.integer({ min: 1, max: 30 }),
      baseMs: fc.integer({ min: 1, max: 600_000 }),
      maxMs: fc.integer({ min: 1, max: 86_400_000 }),
    });
    fc.assert(
      fc.property(policy, fc.integer({ min: 1, max: 60 }), (p, failed) => {
        const d = nominalDelay(p, failed);
        expect(d).toBeLessThanOrEqual(p.maxMs);
        expect(nominalDelay(p, failed + 1)).toBe(Math.min(p.maxMs, d * 2));
      }),
    );
  });

  it('keeps jitter within ten per cent of the nominal delay', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (failed, r) => {
          const nominal = nominalDelay(DEFAULT_RETRY_POLICY, failed);
          const d = retryDelay(DEFAULT_RETRY_POLICY, failed, r);
          expect(d).toBeGreaterThanOrEqual(Math.floor(nominal * 0.9));
          expect(d).toBeLessThanOrEqual(Math.ceil(nominal * 1.1));
        },
      ),
    );
  });
});
