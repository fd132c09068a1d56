/** Feed tokens: random, shown once, stored as a SHA-256 hash and compared in constant time. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function tokenMatches(token: string, hash: Buffer | undefined): boolean {
  if (!hash || hash.length !== 32) return false;
  return timingSafeEqual(hashToken(token), hash);
}
