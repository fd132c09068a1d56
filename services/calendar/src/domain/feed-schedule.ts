/**
 * When an imported feed is fetched next: its own interval after a success; after failures in a
 * row, the interval doubled per failure (a failing channel is not hammered), never longer than
 * the larger of six hours and the interval.
 */
export const DEFAULT_FEED_INTERVAL_SECONDS = 600;
export const MAX_BACKOFF_SECONDS = 6 * 3600;

/** Seconds until the next fetch after `failures` failures in a row (0 after a success). */
export function nextFetchDelaySeconds(intervalSeconds: number, failures: number): number {
  if (failures <= 0) return intervalSeconds;
  const cap = Math.max(MAX_BACKOFF_SECONDS, intervalSeconds);
  // 2^20 times any interval is beyond the cap already; stops the power growing without bound.
  const factor = 2 ** Math.min(failures - 1, 20);
  return Math.min(intervalSeconds * factor, cap);
}

export function nextFetchAt(now: Date, intervalSeconds: number, failures: number): Date {
  return new Date(now.getTime() + nextFetchDelaySeconds(intervalSeconds, failures) * 1000);
}
