/** Which service answers which public path. */
import type { ServiceName } from '@midas/config';

type Upstream = Exclude<ServiceName, 'gateway'>;

/** The first segment after /v1/ names the resource, and the resource its service. */
const BY_RESOURCE = new Map<string, Upstream>([
  ['items', 'availability'],
  ['availability', 'availability'],
  ['holds', 'availability'],
  ['quotes', 'pricing'],
  ['pricing', 'pricing'],
  ['bookings', 'booking'],
  ['me', 'booking'],
  ['payments', 'booking'],
  ['analytics', 'booking'],
  ['staff', 'booking'],
  ['customers', 'booking'],
  ['notifications', 'notification'],
  ['webhooks', 'notification'],
  ['calendar', 'calendar'],
]);

/** An item's imported iCalendar feeds live with the calendar service, not with the item. */
const ITEM_FEEDS = /^\/v1\/items\/[^/]+\/feeds(?:\/|$)/;

/** One map lookup per request: `/v1/<resource>` or `/v1/<resource>/...`. */
export function upstreamFor(path: string): Upstream | undefined {
  if (!path.startsWith('/v1/')) return undefined;
  if (ITEM_FEEDS.test(path)) return 'calendar';
  const end = path.indexOf('/', 4);
  return BY_RESOURCE.get(end === -1 ? path.slice(4) : path.slice(4, end));
}

/** Routes that create holds or bookings get the stricter rate limit. */
export function isReservationWrite(method: string, path: string): boolean {
  return method === 'POST' && /^\/v1\/(holds|bookings)\/?$/.test(path);
}

/**
 * Provider callbacks (signed, retried by the provider) are not client traffic: limiting them by
 * the provider's IP would drop payment confirmations at busy times.
 */
/**
 * Calls authenticated by a calendar token rather than a user: Google's push notifications (the
 * channel id, whose token calendar checks) and iCalendar feed fetches (the item's feed). They come
 * from Google's and calendar clients' shared addresses, so they are limited per channel or feed,
 * never by the guest budget of an IP. Returns the key to limit on, or undefined.
 */
export function calendarTokenKey(
  method: string,
  path: string,
  channelId: string | undefined,
): string | undefined {
  if (method === 'POST' && /^\/v1\/calendar\/google\/notifications\/?$/.test(path)) {
    return `channel:${(channelId ?? '').slice(0, 200)}`;
  }
  const feed = /^\/v1\/calendar\/feeds\/([^/]+)\.ics$/.exec(path);
  if ((method === 'GET' || method === 'HEAD') && feed) return `feed:${feed[1]!.slice(0, 100)}`;
  return undefined;
}

export function isProviderCallback(method: string, path: string): boolean {
  return method === 'POST' && /^\/v1\/payments\/stripe\/webhook\/?$/.test(path);
}
