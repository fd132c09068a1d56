/** When a subscription that keeps failing is switched off: enough failed attempts in a row, over long enough. */
export interface DisablePolicy {
  /** Failed attempts in a row (any delivery of the subscription; a success resets it). */
  failures: number;
  /** The first of them at least this long ago (ms); 0: the count alone decides. */
  spanMs: number;
}

export function shouldDisable(
  policy: DisablePolicy,
  consecutiveFailures: number,
  failingSince: Date,
  now: Date,
): boolean {
  return consecutiveFailures >= policy.failures && now.getTime() - failingSince.getTime() >= policy.spanMs;
}
