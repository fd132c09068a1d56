/**
 * Rate limits on Redis, so every gateway replica shares one counter: guests by client IP,
 * token holders by subject, a stricter budget for creating holds and bookings, and calendar
 * pushes and feed fetches per channel or feed (the guest budget, on its own counter).
 */
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { problem, sendProblem } from '@midas/http';
import { calendarTokenKey, isProviderCallback, isReservationWrite } from './route-table';

export interface RateLimitSettings {
  guestPerMinute: number;
  userPerMinute: number;
  reservationsPerMinute: number;
  keyPrefix: string;
}

function limiter(redis: Redis, keyPrefix: string, points: number): RateLimiterAbstract | undefined {
  if (points <= 0) return undefined;
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points,
    duration: 60,
    // A key that has used its budget is refused from memory until its window ends, with no Redis
    // round trip; the count stays in Redis, so every replica still sees every allowed request.
    inMemoryBlockOnConsumed: points,
    // While Redis is unreachable each replica limits on its own rather than failing open or closed.
    insuranceLimiter: new RateLimiterMemory({ points, duration: 60 }),
  });
}

export function rateLimit(redis: Redis, s: RateLimitSettings): RequestHandler {
  const guest = limiter(redis, `${s.keyPrefix}:guest`, s.guestPerMinute);
  const user = limiter(redis, `${s.keyPrefix}:user`, s.userPerMinute);
  const reservations = limiter(redis, `${s.keyPrefix}:reserve`, s.reservationsPerMinute);
  const calendarTokens = limiter(redis, `${s.keyPrefix}:caltoken`, s.guestPerMinute);

  return async (req, res, next) => {
    const p = req.principal;
    if (isProviderCallback(req.method, req.path)) return next();
    const channel = req.get('x-goog-channel-id');
    const tokenKey = calendarTokenKey(req.method, req.path, channel);
    const key = tokenKey ?? (p.sub ? `sub:${p.sub}` : `ip:${req.ip ?? 'unknown'}`);
    const checks: RateLimiterAbstract[] = [];
    const general = tokenKey ? calendarTokens : p.sub ? user : guest;
    if (general) checks.push(general);
    if (reservations && isReservationWrite(req.method, req.path)) checks.push(reservations);
    try {
      for (const l of checks) {
        const r = await l.consume(key);
        res.setHeader('RateLimit-Limit', String(l.points));
        res.setHeader('RateLimit-Remaining', String(r.remainingPoints));
      }
      next();
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        const retryAfter = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        res.setHeader('Retry-After', String(retryAfter));
        return sendProblem(res, problem(429, 'rate_limited', `Too many requests; retry in ${retryAfter} s`));
      }
      next(err);
    }
  };
}
