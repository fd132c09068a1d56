import fc from 'fast-check';
import {
  judgeRefundFailure,
  nextRepairAt,
  refundIdempotencyKey,
  repairDelayMs,
  type RepairBackoff,
} from '../../src/domain';

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

describe('a refund the provider failed', () => {
  const now = new Date('2030-03-31T00:30:00Z');
  const failuresBefore = fc.integer({ min: 0, max: 1000 });
  const cap = fc.integer({ min: 1, max: 100 });

  it('is retried after the backoff of its failure count while fewer than the cap failed, dead-lettered once the cap is reached', () => {
    fc.assert(
      fc.property(failuresBefore, cap, backoff, (before, max, b) => {
        const outcome = judgeRefundFailure(before, max, now, b);
        expect(outcome.failures).toBe(before + 1);
        if (before + 1 >= max) {
          expect(outcome).toEqual({ kind: 'dead_letter', failures: before + 1 });
        } else {
          expect(outcome).toEqual({
            kind: 'retry',
            failures: before + 1,
            retryAt: nextRepairAt(now, before + 1, b),
          });
          if (outcome.kind === 'retry') expect(outcome.retryAt.getTime()).toBeGreaterThan(now.getTime());
        }
      }),
    );
  });

  it('makes exactly `cap` attempts from the first to the dead letter', () => {
    fc.assert(
      fc.property(cap, backoff, (max, b) => {
        let failures = 0;
        let attempts = 0;
        for (;;) {
          attempts++;
          const outcome = judgeRefundFailure(failures, max, now, b);
          failures = outcome.failures;
          if (outcome.kind === 'dead_letter') break;
        }
        expect(attempts).toBe(max);
      }),
    );
  });

  it('still makes the first attempt under a cap below one', () => {
    expect(judgeRefundFailure(0, 0, now, { baseMs: 1000, maxMs: 2000 })).toEqual({
      kind: 'dead_letter',
      failures: 1,
    });
  });

  it('gives every attempt its own idempotency key, the first one the key refunds always had', () => {
    const booking = '11111111-2222-4333-8444-555555555555';
    const refund = '66666666-7777-4888-8999-000000000000';
    expect(refundIdempotencyKey(booking, refund)).toBe(`booking-${booking}-refund-${refund}`);
    expect(refundIdempotencyKey(booking, refund, 0)).toBe(`booking-${booking}-refund-${refund}`);
    expect(refundIdempotencyKey(booking, refund, 1)).toBe(`booking-${booking}-refund-${refund}-attempt-2`);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 2, maxLength: 20 }),
        (attempts) => {
          const keys = attempts.map((a) => refundIdempotencyKey(booking, refund, a));
          expect(new Set(keys).size).toBe(attempts.length);
          // Stripe and PayPal both take keys this long.
          for (const key of keys) expect(key.length).toBeLessThanOrEqual(108);
        },
      ),
    );
  });
});
