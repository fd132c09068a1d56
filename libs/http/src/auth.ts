/**
 * Bearer-token identity: HS256 with JWT_SECRET or RS256/ES256 through JWKS, algorithms pinned,
 * issuer, audience, expiry, not-before and lifetime (JWT_MAX_AGE) checked. No header means a guest.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { Forbidden, Unauthenticated, type Access, type Role } from '@midas/contracts';

export { ROLES, type Role } from '@midas/contracts';

export interface Principal {
  role: Role;
  /** Token subject; undefined for guests. */
  sub?: string;
  /** Concierge's location, when the token carries one. */
  location?: string;
  /** A customer's `email` and `name` claims, when the token carries them (where messages go until a profile exists). */
  email?: string;
  name?: string;
}

export const GUEST: Principal = Object.freeze({ role: 'guest' });

declare module 'express-serve-static-core' {
  interface Request {
    principal: Principal;
  }
}

export interface AuthSettings {
  jwtSecret?: string;
  jwksUrl?: string;
  issuer: string;
  audience: string;
  clockToleranceSeconds?: number;
  /** Verified tokens remembered at once (least recently used go first); 0 turns the cache off. */
  cacheSize?: number;
  /** Longest a token may live (exp - iat) and oldest it may be (now - iat); 24 h when unset. */
  maxAgeSeconds?: number;
}

/**
 * Why a verified token is still refused for its lifetime: one that lives longer than the cap, or
 * was issued longer ago, is as good as a leaked long-lived credential. A token without `iat` may
 * have at most the cap left to run.
 */
export function lifetimeProblem(
  payload: { iat?: number; exp?: number },
  nowSeconds: number,
  maxAgeSeconds: number,
  toleranceSeconds: number,
): string | undefined {
  const exp = payload.exp ?? Number.POSITIVE_INFINITY;
  if (typeof payload.iat === 'number') {
    if (exp - payload.iat > maxAgeSeconds) return 'The bearer token lives longer than this API allows';
    if (nowSeconds - payload.iat > maxAgeSeconds + toleranceSeconds) return 'The bearer token is too old';
    return undefined;
  }
  if (exp - nowSeconds > maxAgeSeconds + toleranceSeconds) {
    return 'The bearer token lives longer than this API allows';
  }
  return undefined;
}

/**
 * With JWKS a key can be withdrawn while tokens it signed are still unexpired; jose refetches the
 * key set after 10 minutes at most, so a verified token is trusted from memory for less than that.
 */
const JWKS_CACHE_MS = 60_000;

const claimsSchema = z.object({
  sub: z.string().min(1).max(200),
  role: z.enum(['customer', 'concierge', 'admin', 'super_admin']),
  location: z.string().min(1).max(100).optional(),
  // Contact claims are a convenience: a malformed one is ignored rather than refusing the token.
  email: z.email().max(254).optional().catch(undefined),
  name: z.string().trim().min(1).max(200).optional().catch(undefined),
});

export type Authenticator = ((authorization: string | undefined) => Promise<Principal>) & {
  /**
   * The principal of a request without waiting: a guest without a header, or a token verified
   * before and not yet expired. Undefined when the token still has to be verified (or is bad).
   */
  known?: (authorization: string | undefined) => Principal | undefined;
};

export function createAuthenticator(settings: AuthSettings): Authenticator {
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if (settings.jwksUrl) {
    key = createRemoteJWKSet(new URL(settings.jwksUrl));
    algorithms = ['RS256', 'ES256'];
  } else if (settings.jwtSecret) {
    key = new TextEncoder().encode(settings.jwtSecret);
    algorithms = ['HS256'];
  } else {
    throw new Error('createAuthenticator needs jwtSecret or jwksUrl');
  }
  const tolerance = settings.clockToleranceSeconds ?? 5;
  const maxAge = settings.maxAgeSeconds ?? 86400;
  const options = {
    algorithms,
    issuer: settings.issuer,
    audience: settings.audience,
    clockTolerance: tolerance,
    requiredClaims: ['exp', 'sub'],
  };

  // The gateway and every service verify the same token on each request; a signature check costs
  // more than the rest of a cheap request. A verified token is remembered until its exp.
  const verified = new LRUCache<string, { principal: Principal; until: number }>({
    max: Math.max(1, settings.cacheSize ?? 10_000),
  });
  const cacheOn = settings.cacheSize !== 0;
  const cap = settings.jwksUrl ? JWKS_CACHE_MS : Infinity;

  const known = (authorization: string | undefined): Principal | undefined => {
    if (authorization === undefined || authorization === '') return GUEST;
    const hit = cacheOn ? verified.get(authorization) : undefined;
    if (!hit) return undefined;
    if (Date.now() < hit.until) return hit.principal;
    verified.delete(authorization);
    return undefined;
  };

  const authenticator: Authenticator = async (authorization) => {
    const remembered = known(authorization);
    if (remembered) return remembered;
    if (authorization === undefined) return GUEST;
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(authorization.trim());
    if (!match?.[1]) throw new Unauthenticated('The Authorization header must be "Bearer <JWT>"');
    let payload: JWTPayload;
    try {
      // The union of the two key kinds is narrowed by jose's overloads at runtime.
      const verified =
        typeof key === 'function'
          ? await jwtVerify(match[1], key, options)
          : await jwtVerify(match[1], key, options);
      payload = verified.payload;
    } catch {
      throw new Unauthenticated('The bearer token is invalid or expired');
    }
    const tooLong = lifetimeProblem(
      payload as { iat?: number; exp?: number },
      Math.floor(Date.now() / 1000),
      maxAge,
      tolerance,
    );
    if (tooLong) throw new Unauthenticated(tooLong);
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new Unauthenticated('The bearer token lacks a valid sub or role');
    const { role, sub, location, email, name } = claims.data;
    const principal: Principal = Object.freeze({
      role,
      sub,
      ...(location ? { location } : {}),
      ...(email ? { email } : {}),
      ...(name ? { name } : {}),
    });
    // exp is required, so jose has checked it is a number in the future (within the tolerance).
    const until = Math.min((payload.exp ?? 0) * 1000, Date.now() + cap);
    if (cacheOn && until > Date.now()) verified.set(authorization, { principal, until });
    return principal;
  };
  authenticator.known = known;
  return authenticator;
}

/** Sets `req.principal` for every request; a present but bad token is a 401. */
export function authenticate(auth: Authenticator): RequestHandler {
  return (req, _res, next) => {
    auth(req.headers.authorization).then(
      (principal) => {
        req.principal = principal;
        next();
      },
      (err: unknown) => next(err),
    );
  };
}

export function isStaff(p: Principal): boolean {
  return p.role === 'concierge' || p.role === 'admin' || p.role === 'super_admin';
}

export function isAdmin(p: Principal): boolean {
  return p.role === 'admin' || p.role === 'super_admin';
}

/** True when `p` holds one of `roles`; super_admin counts as admin. */
export function hasRole(p: Principal, roles: readonly Role[]): boolean {
  if (roles.includes(p.role)) return true;
  return p.role === 'super_admin' && roles.includes('admin');
}

/** Enforces a route's access rule: guests get 401 (they could sign in), others without the role get 403. */
export function checkAccess(p: Principal, rule: Access): void {
  if (rule.allow === 'anyone') return;
  if (rule.allow === 'signed-in') {
    if (p.role === 'guest' || !p.sub) throw new Unauthenticated();
    return;
  }
  if (hasRole(p, rule.allow)) return;
  if (p.role === 'guest') throw new Unauthenticated();
  throw new Forbidden(`This needs one of the roles: ${rule.allow.join(', ')}`);
}

/** The caller's token subject, for routes whose access rule already turned guests away. */
export function subjectOf(p: Principal): string {
  if (!p.sub) throw new Unauthenticated();
  return p.sub;
}

/** Route guard for routes outside the contract (the gateway's queue board): the same rule as `mount`. */
export function requireRole(...roles: Exclude<Role, 'guest'>[]): RequestHandler {
  return (req, _res, next) => {
    try {
      checkAccess(req.principal ?? GUEST, { allow: roles, description: roles.join(', ') });
      next();
    } catch (err) {
      next(err);
    }
  };
}
