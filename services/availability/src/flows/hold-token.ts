/** Secrets that let a guest (who has no token subject) prove a hold is theirs; only their hashes are stored. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newHoldToken(): string {
  return randomBytes(24).toString('base64url');
}

export function hashHoldToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function holdTokenMatches(token: string | undefined, storedHash: string | null): boolean {
  if (!token || !storedHash) return false;
  const a = Buffer.from(hashHoldToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
