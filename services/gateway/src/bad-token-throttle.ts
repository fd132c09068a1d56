/**
 * Authentication with a budget for failures: each request with a bad token spends a point of its
 * client address's budget (the guest budget, as a caller without a valid token is a guest), and
 * once it is spent the address gets 429 before any token is verified. Without this, guessing or
 * replaying tokens was the one thing nothing limited (the 401 came before the rate limiter).
 */
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { problem, sendProblem, type Authenticator } from '@midas/http';

export function authenticateWithThrottle(
  auth: Authenticator,
  redis: Redis,
  s: { failuresPerMinute: number; keyPrefix: string },
): RequestHandler {
  const limiter =
    s.failuresPerMinute > 0
      ? new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: `${s.keyPrefix}:badtoken`,
          points: s.failuresPerMinute,
          duration: 60,
          insuranceLimiter: new RateLimiterMemory({ points: s.failuresPerMinute, duration: 60 }),
        })
      : undefined;

  const tooMany = (res: Parameters<RequestHandler>[1], msBeforeNext: number) => {
    const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
    res.setHeader('Retry-After', String(retryAfter));
    sendProblem(
      res,
      problem(429, 'rate_limited', `Too many requests with invalid tokens; retry in ${retryAfter} s`),
    );
  };

  return async (req, res, next) => {
    const authorization = req.headers.authorization;
    const key = `ip:${req.ip ?? 'unknown'}`;
    if (limiter && authorization) {
      const spent = await limiter.get(key).catch(() => null);
      if (spent && spent.consumedPoints >= s.failuresPerMinute) return tooMany(res, spent.msBeforeNext);
    }
    try {
      req.principal = await auth(authorization);
      return next();
    } catch (err) {
      if (limiter) {
        try {
          await limiter.consume(key);
        } catch (limited) {
          if (limited instanceof RateLimiterRes) return tooMany(res, limited.msBeforeNext);
        }
      }
      return next(err);
    }
  };
}
