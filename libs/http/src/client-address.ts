/**
 * Whose address a request carries. The gateway believes X-Forwarded-For only from the proxies
 * TRUST_PROXY names; services sit behind the gateway, which replaces X-Forwarded-For with the one
 * client address it established, so a service trusts exactly one hop and only from an internal
 * peer (the chart's network policy lets nothing but the release's pods reach a service).
 */
import { BlockList, isIPv4 } from 'node:net';

const internal = new BlockList();
internal.addSubnet('127.0.0.0', 8, 'ipv4');
internal.addSubnet('10.0.0.0', 8, 'ipv4');
internal.addSubnet('172.16.0.0', 12, 'ipv4');
internal.addSubnet('192.168.0.0', 16, 'ipv4');
internal.addSubnet('169.254.0.0', 16, 'ipv4');
internal.addAddress('::1', 'ipv6');
internal.addSubnet('fc00::', 7, 'ipv6');
internal.addSubnet('fe80::', 10, 'ipv6');

export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const plain = mapped ?? address;
  try {
    return internal.check(plain, isIPv4(plain) ? 'ipv4' : 'ipv6');
  } catch {
    return false;
  }
}

/** express "trust proxy" for a service: the gateway's single hop, from the internal network only. */
export function trustGatewayHop(address: string, hop: number): boolean {
  return hop === 0 && isInternalAddress(address);
}
