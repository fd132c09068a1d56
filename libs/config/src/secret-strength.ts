/**
 * Why a JWT_SECRET is unfit for production: too short, too repetitive to be random, or published
 * (the development default and the one in docker/compose.yaml are in this repository for anyone).
 */
export const PUBLISHED_JWT_SECRETS = [
  'midas-development-secret-do-not-use-in-production',
  'local-compose-only-secret-0123456789abcdef',
];

/** Bytes of a secret of the minimum strength: 256 bits, as RFC 7518 asks for HS256 keys. */
export const MIN_SECRET_BYTES = 32;

/** Shannon estimate of the bits in `value`, from its own character frequencies. */
export function estimatedEntropyBits(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const length = [...value].length;
  let perChar = 0;
  for (const n of counts.values()) perChar -= (n / length) * Math.log2(n / length);
  return perChar * length;
}

/** Undefined for a usable secret, otherwise what is wrong with it. */
export function weakSecretReason(secret: string): string | undefined {
  if (PUBLISHED_JWT_SECRETS.includes(secret)) return 'is a published default; generate your own';
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    return `is shorter than ${MIN_SECRET_BYTES} bytes`;
  }
  // 32 random hex digits estimate about 115 bits, 32 random base64 characters about 150;
  // a word repeated or a run of one character estimates far below.
  if (new Set(secret).size < 10 || estimatedEntropyBits(secret) < 96) {
    return 'has too little entropy to be random (use e.g. `openssl rand -base64 48`)';
  }
  return undefined;
}
