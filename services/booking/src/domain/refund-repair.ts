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
