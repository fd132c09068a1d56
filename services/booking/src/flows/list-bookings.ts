/** GET /v1/bookings and /v1/me/bookings: filters and cursor pagination, scoped by who asks. */
import { Unauthenticated, type ListBookingsQuery } from '@midas/contracts';
import { decodeCursor, encodeCursor, type Page, type Principal } from '@midas/http';
import { z } from 'zod';
import { listBookings, type ListScope } from '../db/booking-lists';
import type { BookingRow } from '../db/schema';
import type { FlowContext } from './context';

const cursorSchema = z.object({ createdAt: z.iso.datetime({ offset: true }), id: z.uuid() });

/** Admins see all, concierges their assignments and location, everyone else their own. */
export function scopeFor(principal: Principal, onlyMine: boolean): ListScope {
  if (!principal.sub) throw new Unauthenticated('Sign in to list bookings');
  if (onlyMine || principal.role === 'customer') return { kind: 'customer', customerId: principal.sub };
  if (principal.role === 'concierge')
    return { kind: 'concierge', conciergeId: principal.sub, location: principal.location };
  return { kind: 'all' };
}

export async function listVisibleBookings(
  deps: Pick<FlowContext, 'db'>,
  principal: Principal,
  query: ListBookingsQuery,
  onlyMine = false,
): Promise<Page<BookingRow>> {
  const after = decodeCursor(cursorSchema, query.cursor);
  const rows = await listBookings(
    deps.db,
    scopeFor(principal, onlyMine),
    {
      status: query.status,
      itemId: query.itemId,
      type: query.type,
      customerId: query.customerId,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      q: query.q,
    },
    { limit: query.limit + 1, after },
  );
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > query.limit && last
      ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id })
      : null;
  return { items, nextCursor };
}
