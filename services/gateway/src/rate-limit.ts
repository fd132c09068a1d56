/**
 * Rate limits on Redis, so every gateway replica shares one counter: guests by client IP,
 * token holders by subject, a stricter budget for creating holds and bookings, and calendar
 * pushes and feed fetches per channel or feed (the guest budget, on its own counter).
 */
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { problem, sendProblem, type Principal } from '@midas/http';
import { LeasedLimiter } from './leased-limiter';
import { calendarTokenKey, isProviderCallback, isReservationWrite } from './route-table';

export interface RateLimitSettings {
  guestPerMinute: number;
  userPerMinute: number;
  reservationsPerMinute: number;
  keyPrefix: string;
}

/** What one request is limited by. */
export interface LimitedRequest {
  principal: Principal;
  method: string;
  path: string;
  ip: string | undefined;
  /** The `x-goog-channel-id` header of a Google push notification. */
  channel: string | undefined;
}

/** Allowed, with the RateLimit-* headers to send, or refused for `retryAfter` seconds. */
export type RateLimitVerdict =
  | { allowed: true; headers: [string, string][] }
  | { allowed: false; retryAfter: number; headers: [string, string][] };

export interface RateLimits {
  /** Undefined when no limit applies to the request (nothing to wait for). */
  check: (r: LimitedRequest) => Promise<RateLimitVerdict> | undefined;
  middleware: RequestHandler;
}

function limiter(redis: Redis, keyPrefix: string, points: number): LeasedLimiter | undefined {
  // Counted in Redis in slices (see leased-limiter.ts): exact at most, within 10 % at least.
  return points > 0 ? new LeasedLimiter(redis, keyPrefix, points) : undefined;
}

export function rateLimits(redis: Redis, s: RateLimitSettings): RateLimits {
  const guest = limiter(redis, `${s.keyPrefix}:guest`, s.guestPerMinute);
  const user = limiter(redis, `${s.keyPrefix}:user`, s.userPerMinute);
  const reservations = limiter(redis, `${s.keyPrefix}:reserve`, s.reservationsPerMinute);
  const calendarTokens = limiter(redis, `${s.keyPrefix}:caltoken`, s.guestPerMinute);

  const run = async (checks: LeasedLimiter[], key: string): Promise<RateLimitVerdict> => {
    const headers: [string, string][] = [];
    for (const l of checks) {
      const r = await l.consume(key);
      if (!r.allowed) {
        return { allowed: false, retryAfter: Math.max(1, Math.ceil(r.msBeforeNext / 1000)), headers };
      }
      headers.push(['RateLimit-Limit', String(l.points)], ['RateLimit-Remaining', String(r.remaining)]);
    }
    return { allowed: true, headers };
  };

  const check = (r: LimitedRequest): Promise<RateLimitVerdict> | undefined => {
    if (isProviderCallback(r.method, r.path)) return undefined;
    const tokenKey = calendarTokenKey(r.method, r.path, r.channel);
    const p = r.principal;
    const general = tokenKey ? calendarTokens : p.sub ? user : guest;
    const reserving = reservations && isReservationWrite(r.method, r.path) ? reservations : undefined;
    if (!general && !reserving) return undefined;
    const key = tokenKey ?? (p.sub ? `sub:${p.sub}` : `ip:${r.ip ?? 'unknown'}`);
    const checks: LeasedLimiter[] = [];
    if (general) checks.push(general);
    if (reserving) checks.push(reserving);
    return run(checks, key);
  };

  const middleware: RequestHandler = (req, res, next) => {
    const verdict = check({
      principal: req.principal,
      method: req.method,
      path: req.path,
      ip: req.ip,
      channel: req.get('x-goog-channel-id'),
    });
    if (!verdict) return next();
    verdict.then((v) => {
      for (const [name, value] of v.headers) res.setHeader(name, value);
      if (v.allowed) return next();
      res.setHeader('Retry-After', String(v.retryAfter));
      sendProblem(res, problem(429, 'rate_limited', `Too many requests; retry in ${v.retryAfter} s`));
    }, next);
  };

  return { check, middleware };
}
