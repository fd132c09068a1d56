/**
 * A per-minute budget kept in Redis and spent locally in slices: a replica takes a lease of up to
 * 5 % of a key's budget in one Redis call (a script that grants at most what is left) and spends it
 * from memory, so a busy key costs one round trip per slice instead of one per request. The count
 * in Redis is the same integer, under the same key, that rate-limiter-flexible keeps, and grants
 * never exceed the budget: across any number of replicas at most `points` requests pass per
 * window. What a replica leased and did not spend before the window ends is lost, so a key may get
 * less: each replica holds at most one slice, and slices shrink to an eighth of what was left at
 * the last lease as the budget runs out, so with two replicas a key gets at least 90 % of it.
 * Budgets under 40 lease one point at a time, which is exactly the old behaviour. A key whose
 * budget is spent is refused from memory until its window ends. While Redis does not answer,
 * each replica limits on its own (rate-limiter-flexible in memory), as before.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** Grants up to ARGV[2] of a budget of ARGV[1] points; returns the grant, the count, its ttl (ms). */
const LEASE_SCRIPT = `
local used = tonumber(redis.call('get', KEYS[1]) or '0')
local grant = math.min(tonumber(ARGV[2]), tonumber(ARGV[1]) - used)
if grant > 0 then
  used = redis.call('incrby', KEYS[1], grant)
end
local ttl = redis.call('pttl', KEYS[1])
if ttl < 0 then
  redis.call('pexpire', KEYS[1], ARGV[3])
  ttl = tonumber(ARGV[3])
end
if grant < 0 then grant = 0 end
return {grant, used, ttl}
`;

export interface LeaseVerdict {
  allowed: boolean;
  /** An estimate: the budget less what every replica had taken at this replica's last lease. */
  remaining: number;
  msBeforeNext: number;
}

interface Slice {
  /** Points leased and not yet spent. */
  left: number;
  /** The key's count in Redis after the last lease. */
  count: number;
  /** When the window ends (ms since the epoch). */
  until: number;
}

type LeaseRedis = Redis & {
  midasLease?: (
    key: string,
    points: number,
    want: number,
    durationMs: number,
  ) => Promise<[number, number, number]>;
};

export class LeasedLimiter {
  readonly points: number;
  private readonly maxSlice: number;
  private readonly durationMs: number;
  private readonly slices = new Map<string, Slice>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly insurance: RateLimiterMemory;
  /** Redis calls made so far (leases asked for), for tests and curiosity. */
  redisCalls = 0;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    points: number,
    durationSeconds = 60,
    sliceFraction = 0.05,
  ) {
    this.points = points;
    this.durationMs = durationSeconds * 1000;
    this.maxSlice = Math.max(1, Math.floor(points * sliceFraction));
    this.insurance = new RateLimiterMemory({ points, duration: durationSeconds });
    const r = redis as LeaseRedis;
    if (!r.midasLease) r.defineCommand('midasLease', { numberOfKeys: 1, lua: LEASE_SCRIPT });
  }

  async consume(key: string): Promise<LeaseVerdict> {
    for (;;) {
      const now = Date.now();
      const slice = this.slices.get(key);
      if (slice && slice.until > now) {
        if (slice.left > 0) {
          slice.left -= 1;
          return {
            allowed: true,
            remaining: this.points - slice.count + slice.left,
            msBeforeNext: slice.until - now,
          };
        }
        if (slice.count >= this.points)
          return { allowed: false, remaining: 0, msBeforeNext: slice.until - now };
      } else if (slice) {
        this.slices.delete(key);
      }
      const waiting = this.pending.get(key);
      if (waiting) {
        await waiting;
        continue;
      }
      const lease = this.lease(key, slice && slice.until > now ? slice.count : 0);
      this.pending.set(key, lease);
      try {
        await lease;
      } catch {
        return this.insured(key);
      } finally {
        this.pending.delete(key);
      }
    }
  }

  /** Slices are lost when the process ends; forgetting them only makes a key get less. */
  private async lease(key: string, lastCount: number): Promise<void> {
    const want = Math.max(1, Math.min(this.maxSlice, Math.floor((this.points - lastCount) / 8)));
    this.redisCalls += 1;
    const [grant, count, ttl] = await (this.redis as LeaseRedis).midasLease!(
      `${this.keyPrefix}:${key}`,
      this.points,
      want,
      this.durationMs,
    );
    const previous = this.slices.get(key);
    const until = Date.now() + Math.max(1, Number(ttl));
    // Whatever was left of an earlier slice in this window stays spendable.
    const kept = previous && previous.until > Date.now() ? previous.left : 0;
    // No grant means the budget is spent: refused from memory until the window ends.
    const spent = Number(grant) > 0 ? Number(count) : Math.max(Number(count), this.points);
    this.slices.set(key, { left: kept + Number(grant), count: spent, until });
  }

  private async insured(key: string): Promise<LeaseVerdict> {
    try {
      const r = await this.insurance.consume(key);
      return { allowed: true, remaining: r.remainingPoints, msBeforeNext: r.msBeforeNext };
    } catch (err) {
      if (err instanceof RateLimiterRes)
        return { allowed: false, remaining: 0, msBeforeNext: err.msBeforeNext };
      throw err;
    }
  }
}
