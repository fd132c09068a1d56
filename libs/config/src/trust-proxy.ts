/**
 * TRUST_PROXY as express's "trust proxy" setting: unset trusts no proxy (the peer is the client),
 * a number trusts that many hops in front, a comma-separated list trusts those addresses/CIDRs.
 */
import { isIP } from 'node:net';

export type TrustProxy = false | number | string[];

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, bits, extra] = entry.split('/');
  if (extra !== undefined || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** The setting, or a message naming what is wrong with the value. */
export function parseTrustProxy(value: string | undefined): TrustProxy | { error: string } {
  const trimmed = (value ?? '').trim();
  if (trimmed === '' || trimmed === 'false' || trimmed === '0') return false;
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    return hops <= 10 ? hops : { error: 'a hop count must be at most 10' };
  }
  const entries = trimmed
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const bad = entries.filter((e) => !isAddressOrCidr(e));
  if (bad.length) return { error: `not an IP address or CIDR: ${bad.join(', ')}` };
  return entries;
}
