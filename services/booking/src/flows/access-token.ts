/**
 * Guest access tokens, stored only as a SHA-256 hash: derived from the booking id under the server
 * secret, so a replayed creation can answer with the same token without keeping it; random where
 * no server secret is configured (JWKS deployments).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { derivedSecret } from '@midas/http';

export function newAccessToken(tokenSecret?: string, bookingId?: string): { token: string; hash: string } {
  const token =
    tokenSecret && bookingId
      ? derivedSecret(tokenSecret, 'booking-access-token', bookingId)
      : randomBytes(32).toString('base64url');
  return { token, hash: hashAccessToken(token) };
}

export function hashAccessToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function accessTokenMatches(token: string | undefined, storedHash: string | null): boolean {
  if (!token || !storedHash) return false;
  const given = Buffer.from(hashAccessToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
