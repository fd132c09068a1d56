/** Which service answers which public path; the first matching prefix wins. */
import type { ServiceName } from '@midas/config';

type Upstream = Exclude<ServiceName, 'gateway'>;

const TABLE: { pattern: RegExp; service: Upstream }[] = [
  { pattern: /^\/v1\/items(\/|$)/, service: 'availability' },
  { pattern: /^\/v1\/availability(\/|$)/, service: 'availability' },
  { pattern: /^\/v1\/holds(\/|$)/, service: 'availability' },
  { pattern: /^\/v1\/quotes(\/|$)/, service: 'pricing' },
  { pattern: /^\/v1\/pricing(\/|$)/, service: 'pricing' },
  { pattern: /^\/v1\/bookings(\/|$)/, service: 'booking' },
  { pattern: /^\/v1\/me(\/|$)/, service: 'booking' },
  { pattern: /^\/v1\/payments(\/|$)/, service: 'booking' },
  { pattern: /^\/v1\/analytics(\/|$)/, service: 'booking' },
  { pattern: /^\/v1\/staff(\/|$)/, service: 'booking' },
  { pattern: /^\/v1\/customers(\/|$)/, service: 'booking' },
  { pattern: /^\/v1\/notifications(\/|$)/, service: 'notification' },
  { pattern: /^\/v1\/calendar(\/|$)/, service: 'calendar' },
];

export function upstreamFor(path: string): Upstream | undefined {
  return TABLE.find((row) => row.pattern.test(path))?.service;
}

/** Routes that create holds or bookings get the stricter rate limit. */
export function isReservationWrite(method: string, path: string): boolean {
  return method === 'POST' && /^\/v1\/(holds|bookings)\/?$/.test(path);
}

/**
 * Provider callbacks (signed, retried by the provider) are not client traffic: limiting them by
 * the provider's IP would drop payment confirmations at busy times.
 */
export function isProviderCallback(method: string, path: string): boolean {
  return method === 'POST' && /^\/v1\/payments\/stripe\/webhook\/?$/.test(path);
}
