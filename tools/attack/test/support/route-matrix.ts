/**
 * Every contract route (the `apiRoutes` tables each service mounts) crossed with every attacker
 * role, aimed at records that belong to someone else in another location: what to send and what
 * the answer must be. Derived from the tables, so a new route is attacked without being listed;
 * only path parameters that name a known fixture and sample bodies are spelled out here.
 */
import { randomUUID } from 'node:crypto';
import { apiRoutes, type ApiRoute, type Role } from '@midas/contracts';

export interface Attacker {
  label: string;
  role: Role;
  token?: string;
  /** Source address (guests are limited per address). */
  from?: string;
}

/** The victim's records (location `victimLocation`) the attackers aim at. */
export interface Fixtures {
  victimLocation: string;
  itemId: string;
  blackoutId: string;
  holdId: string;
  holdSlot: { start: string; end: string };
  /** A customer's confirmed booking. */
  bookingId: string;
  /** The same customer's booking still waiting for payment. */
  pendingBookingId: string;
  guestBookingId: string;
  guestAccessToken: string;
  notificationId: string;
  quoteId: string;
  customerId: string;
  conciergeId: string;
  /** Strings of the victim's records that no attacker may ever read (emails, tokens, reasons, ids). */
  secrets: string[];
}

export interface Probe {
  route: ApiRoute;
  attacker: Attacker;
  method: string;
  path: string;
  body?: unknown;
  /** Statuses that are a pass; a 2xx among them must also carry none of the victim's secrets. */
  expected: number[];
  why: string;
}

const REFUSED = [401, 403, 404];

/** Records anyone may read (the item's public side, a quote by its unguessable id). */
const PUBLIC_READS = new Set([
  'get /v1/items',
  'get /v1/items/:id',
  'get /v1/items/:id/calendar',
  'get /v1/availability',
  'get /v1/quotes/:id',
]);

/** Calls made by other systems and proven by a signature or channel token, not by a role. */
const SIGNED_CALLBACKS = new Set([
  'post /v1/payments/stripe/webhook',
  'post /v1/payments/paypal/webhook',
  'post /v1/calendar/google/notifications',
]);

function allows(route: ApiRoute, role: Role): boolean {
  const allow = route.access.allow;
  if (allow === 'anyone') return true;
  if (allow === 'signed-in') return role !== 'guest';
  return allow.includes(role as never) || (role === 'super_admin' && allow.includes('admin'));
}

function param(route: ApiRoute, name: string, f: Fixtures): string {
  const p = route.path;
  if (name === 'bid') return f.blackoutId;
  if (name === 'bookingId') return f.pendingBookingId;
  if (name === 'itemId') return f.itemId;
  if (name === 'location') return f.victimLocation;
  if (name === 'itemType') return 'car';
  if (name === 'code') return 'standard';
  if (name === 'template') return 'booking_confirmed';
  if (name !== 'id') return randomUUID();
  if (p.startsWith('/v1/items/')) return f.itemId;
  if (p.startsWith('/v1/holds/')) return f.holdId;
  if (p.startsWith('/v1/bookings/')) return f.bookingId;
  if (p.startsWith('/v1/notifications/')) return f.notificationId;
  if (p.startsWith('/v1/quotes/')) return f.quoteId;
  if (p.startsWith('/v1/customers/')) return f.customerId;
  if (p.startsWith('/v1/staff/concierges/')) return f.conciergeId;
  return randomUUID();
}

/** Query strings that aim a list or read at the victim. */
function query(route: ApiRoute, f: Fixtures, window: { from: string; to: string }): string {
  const key = `${route.method} ${route.path}`;
  switch (key) {
    case 'get /v1/notifications':
      return `?bookingId=${f.bookingId}`;
    case 'get /v1/bookings':
      return `?customerId=${encodeURIComponent(f.customerId)}`;
    case 'get /v1/availability':
      return `?itemId=${f.itemId}&start=${window.from}&end=${window.to}`;
    case 'get /v1/items/:id/calendar':
      return `?from=${window.from}&to=${window.to}`;
    case 'get /v1/items':
      return `?location=${encodeURIComponent(f.victimLocation)}`;
    default:
      return '';
  }
}

/** The route's path with its parameters and query aimed at the victim's records. */
export function aim(route: ApiRoute, f: Fixtures, window: { from: string; to: string }): string {
  return (
    route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => param(route, name, f)) + query(route, f, window)
  );
}

/** Bodies that would pass validation, so the answer is the authorisation's, not the parser's. */
function body(route: ApiRoute, f: Fixtures, slot: { start: string; end: string }): unknown {
  switch (`${route.method} ${route.path}`) {
    case 'patch /v1/bookings/:id':
      return { start: slot.start, end: slot.end };
    case 'post /v1/bookings/:id/status':
      return { status: 'ready', reason: 'attack' };
    case 'post /v1/bookings/:id/cancel':
      return { reason: 'attack' };
    case 'post /v1/bookings/:id/deposit/capture':
    case 'post /v1/bookings/:id/deposit/release':
      return { reason: 'attack' };
    case 'post /v1/bookings/:id/assign':
      return { conciergeId: f.conciergeId };
    case 'post /v1/items/:id/blackouts':
      return { start: slot.start, end: slot.end, reason: 'attack' };
    case 'post /v1/bookings':
      // Adopting someone else's hold.
      return {
        itemId: f.itemId,
        start: f.holdSlot.start,
        end: f.holdSlot.end,
        holdId: f.holdId,
        guest: { name: 'Mallory', email: 'mallory@example.com', phone: '+33 6 00 00 00 00' },
      };
    default:
      return route.body ? {} : undefined;
  }
}

/**
 * Which (route, attacker) pairs to try: every route an attacker's role may not use (expect
 * 401/403 whatever the body), and every route an attacker's role may use that names or reads the
 * victim's records (expect 401/403/404, or for public reads 200 without the victim's secrets).
 * Routes an allowed role uses to create its own records are not foreign-id attacks and are left to
 * their services' tests, except booking creation with the victim's hold.
 */
export function probes(
  attackers: Attacker[],
  f: Fixtures,
  slot: { start: string; end: string },
  window: { from: string; to: string },
): Probe[] {
  const out: Probe[] = [];
  for (const route of apiRoutes) {
    const key = `${route.method} ${route.path}`;
    const hasParams = route.path.includes(':');
    for (const attacker of attackers) {
      const path =
        route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => param(route, name, f)) +
        query(route, f, window);
      const probe = { route, attacker, method: route.method, path };
      if (!allows(route, attacker.role)) {
        out.push({
          ...probe,
          body: body(route, f, slot) ?? (route.body ? {} : undefined),
          expected: [attacker.role === 'guest' ? 401 : 403],
          why: `role ${attacker.role} not in "${route.access.description}"`,
        });
        continue;
      }
      if (SIGNED_CALLBACKS.has(key)) {
        out.push({ ...probe, body: {}, expected: [400, 401, 403, 404], why: 'unsigned callback' });
        continue;
      }
      if (PUBLIC_READS.has(key)) {
        out.push({ ...probe, expected: [200], why: "public read without the victim's details" });
        continue;
      }
      if (key === 'get /v1/calendar/feeds/:itemId.ics') {
        out.push({ ...probe, expected: [400, ...REFUSED], why: 'feed without its token' });
        continue;
      }
      if (hasParams) {
        out.push({ ...probe, body: body(route, f, slot), expected: REFUSED, why: "someone else's record" });
        continue;
      }
      if (route.method === 'get') {
        out.push({ ...probe, expected: [200, ...REFUSED], why: "list without the victim's records" });
        continue;
      }
      if (key === 'post /v1/bookings') {
        out.push({
          ...probe,
          body: body(route, f, slot),
          expected: [403, 404, 409],
          why: "booking on the victim's hold",
        });
      }
    }
  }
  return out;
}

/** Which of the victim's secrets a response body carries (ids named in the request's own path do not count). */
export function leaked(text: string, f: Fixtures, path: string): string[] {
  return f.secrets.filter((s) => !path.includes(s) && text.includes(s));
}
