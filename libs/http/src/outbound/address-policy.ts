/**
 * Which resolved addresses an outbound request (an imported feed, a webhook) may connect to: only
 * globally routable unicast. Loopback, link-local, private (RFC 1918, ULA), CGNAT, unspecified,
 * multicast, reserved and the translation prefixes that can embed any IPv4 (NAT64, 6to4, Teredo)
 * are refused; an IPv4-mapped IPv6 address is judged as the IPv4 address it carries. Pure: no I/O.
 */
import ipaddr from 'ipaddr.js';

/** Why `address` may not be used, or null when it is a public unicast address. */
export function addressRefusal(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return `"${address}" is not an IP address`;
  }
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  return range === 'unicast' ? null : `${parsed.toString()} is a ${range} address`;
}

/** The URL forms an outbound request may use: https, or http as well when private addresses are allowed. */
export function schemeRefusal(url: URL, allowPrivate: boolean): string | null {
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && allowPrivate) return null;
  return 'must be an https URL';
}
