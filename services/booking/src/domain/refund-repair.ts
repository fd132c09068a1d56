/**
 * When the refund repair sweep looks again at a refund the provider has not settled: exponential
 * backoff from the visit count, capped, so an outage is not hammered and a long one is still
 * retried at a steady pace.
 */

export interface RepairBackoff {
  /** Wait after the first visit (ms). */
  baseMs: number;
  /** Longest wait between two visits (ms). */
  maxMs: number;
}

/** The wait after the `attempts`-th visit (1 for the first): base × 2^(attempts − 1), at most max. */
export function repairDelayMs(attempts: number, backoff: RepairBackoff): number {
  const exponent = Math.max(0, Math.floor(attempts) - 1);
  // 2^exponent overflows to Infinity for huge counts; the cap still holds.
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** exponent);
}

export function nextRepairAt(now: Date, attempts: number, backoff: RepairBackoff): Date {
  return new Date(now.getTime() + repairDelayMs(attempts, backoff));
}

/** What becomes of a refund the provider marked failed. */
export type RefundFailureOutcome =
  { kind: 'retry'; failures: number; retryAt: Date } | { kind: 'dead_letter'; failures: number };

/**
 * A refund failed at the provider for the `failuresBefore + 1`-th time: asked for again after the
 * backoff of that count while fewer than `maxAttempts` attempts failed, dead-lettered for staff
 * once that many did (a cap below 1 still allows the first attempt).
 */
export function judgeRefundFailure(
  failuresBefore: number,
  maxAttempts: number,
  now: Date,
  backoff: RepairBackoff,
): RefundFailureOutcome {
  const failures = Math.max(0, Math.floor(failuresBefore)) + 1;
  if (failures >= Math.max(1, Math.floor(maxAttempts))) return { kind: 'dead_letter', failures };
  return { kind: 'retry', failures, retryAt: nextRepairAt(now, failures, backoff) };
}

/**
 * The provider's idempotency key of one attempt of a refund: the first attempt keeps the key
 * refunds always had; each attempt after a failure gets its own, because the provider answers a
 * reused key with the failed refund again.
 */
export function refundIdempotencyKey(bookingId: string, refundId: string, failures = 0): string {
  const base = `booking-${bookingId}-refund-${refundId}`;
  return failures > 0 ? `${base}-attempt-${failures + 1}` : base;
}
