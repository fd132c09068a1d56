/**
 * The SSRF guard in front of every outbound connection to an address an admin typed (imported
 * feeds, webhooks): the URL's scheme, then every address its host resolves to must be public
 * unicast (unless private addresses are allowed). The same check runs inside the connection's own
 * DNS look-up, so the socket goes to an address that was checked and a DNS answer that changes
 * between the check and the connect (rebinding) cannot slip through.
 */
import dns, { type LookupAddress } from 'node:dns';
import net from 'node:net';
import { Agent } from 'undici';
import { addressRefusal, schemeRefusal } from './address-policy';

export class AddressRefused extends Error {
  readonly code = 'EADDRESSREFUSED';
  constructor(reason: string) {
    super(reason);
    this.name = 'AddressRefused';
  }
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

function firstRefusal(hostname: string, addresses: LookupAddress[]): string | null {
  for (const { address } of addresses) {
    const why = addressRefusal(address);
    if (why) return `${hostname} resolves to ${why}`;
  }
  return null;
}

/** Checks a URL as typed by an admin, stored, or a redirect's target; throws AddressRefused with a reason. */
export async function checkOutboundUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AddressRefused('is not a URL');
  }
  const scheme = schemeRefusal(url, allowPrivate);
  if (scheme) throw new AddressRefused(scheme);
  if (url.username || url.password) throw new AddressRefused('must not carry credentials');
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) {
    const why = addressRefusal(host);
    if (why) throw new AddressRefused(why);
    return url;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true, verbatim: true });
  } catch (err) {
    throw new AddressRefused(`${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const why = firstRefusal(host, addresses);
  if (why) throw new AddressRefused(why);
  return url;
}

/** A `lookup` for sockets: resolves, refuses the host if any address is not allowed, hands over the checked ones. */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { all: true, verbatim: true, family: options.family ?? 0 }, (err, addresses) => {
      if (err) return callback(err, []);
      const why = allowPrivate ? null : firstRefusal(hostname, addresses);
      if (why) return callback(new AddressRefused(why), []);
      if (addresses.length === 0)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * An undici agent whose every connection goes through `guardedLookup`, with one timeout for
 * connecting, the headers and the body.
 */
export function guardedAgent(options: { allowPrivate: boolean; timeoutMs: number }): Agent {
  return new Agent({
    connect: { lookup: guardedLookup(options.allowPrivate) as never, timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    keepAliveTimeout: 4000,
  });
}

/** The SSRF guard's reason when it stopped `err` (directly or as the cause of a failed request), else null. */
export function refusalOf(err: unknown): string | null {
  if (err instanceof AddressRefused) return err.message;
  const cause = (err as { cause?: unknown } | null)?.cause;
  return cause instanceof AddressRefused ? cause.message : null;
}
