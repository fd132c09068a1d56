/**
 * Which transport to try first. A relay that just failed at the connection level is tried last for
 * a cool-down period, so a primary that hangs until its timeout does not cost every message that
 * timeout; it is still tried when nothing else works, and leads again once the cool-down passes
 * or it delivers.
 */

export interface CoolDown {
  /** When each transport last failed, in ms since the epoch. */
  failedAt: ReadonlyMap<string, number>;
  coolDownMs: number;
}

export function orderTransports<T extends { label: string }>(
  transports: readonly T[],
  now: number,
  state: CoolDown,
): T[] {
  const cooling = (t: T) => {
    const at = state.failedAt.get(t.label);
    return at !== undefined && now - at < state.coolDownMs;
  };
  return [...transports.filter((t) => !cooling(t)), ...transports.filter(cooling)];
}
