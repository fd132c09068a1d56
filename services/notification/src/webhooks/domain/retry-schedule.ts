/**
 * When a failed delivery is tried again: exponential backoff (base, doubling, capped) with
 * ±10 % jitter so a receiver coming back is not hit by every retry at once. The defaults spread
 * 14 attempts over about a day.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Delay before the second attempt (ms); each next one doubles. */
  baseMs: number;
  /** No delay is longer than this (ms). */
  maxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 14, baseMs: 30_000, maxMs: 6 * 3600_000 };

/** Delay after the `failed`-th failed attempt (1-based), before jitter. */
export function nominalDelay(policy: RetryPolicy, failed: number): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(Math.max(failed - 1, 0), 40));
}

/** `random` in [0, 1) spreads the delay over ±10 %. */
export function retryDelay(policy: RetryPolicy, failed: number, random: number): number {
  return Math.round(nominalDelay(policy, failed) * (0.9 + 0.2 * random));
}

/** How long the whole schedule takes, first attempt to last, before jitter. */
export function scheduleSpan(policy: RetryPolicy): number {
  let total = 0;
  for (let failed = 1; failed < policy.attempts; failed += 1) total += nominalDelay(policy, failed);
  return total;
}
