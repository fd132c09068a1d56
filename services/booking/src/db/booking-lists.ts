/** Paged, filtered lists of bookings, newest first, always narrowed to what the caller may see. */
import { and, desc, eq, gt, ilike, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import type { BookingStatus, ItemType } from '@midas/contracts';
import { bookings, type BookingRow } from './schema';

export type ListScope =
  | { kind: 'all' }
  | { kind: 'customer'; customerId: string }
  | { kind: 'concierge'; conciergeId: string; location?: string };

export interface BookingFilters {
  status?: BookingStatus;
  itemId?: string;
  type?: ItemType;
  customerId?: string;
  from?: Date;
  to?: Date;
  q?: string;
}

export interface ListCursor {
  createdAt: string;
  id: string;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function scopeCondition(scope: ListScope): SQL | undefined {
  if (scope.kind === 'customer') return eq(bookings.customerId, scope.customerId);
  if (scope.kind === 'concierge') {
    return scope.location
      ? or(eq(bookings.conciergeId, scope.conciergeId), eq(bookings.location, scope.location))
      : eq(bookings.conciergeId, scope.conciergeId);
  }
  return undefined;
}

export async function listBookings(
  tx: Tx,
  scope: ListScope,
  filters: BookingFilters,
  page: { limit: number; after?: ListCursor },
): Promise<BookingRow[]> {
  const q = filters.q ? `%${escapeLike(filters.q)}%` : undefined;
  const conditions = [
    scopeCondition(scope),
    filters.status ? eq(bookings.status, filters.status) : undefined,
    filters.itemId ? eq(bookings.itemId, filters.itemId) : undefined,
    filters.type ? eq(bookings.itemType, filters.type) : undefined,
    filters.customerId ? eq(bookings.customerId, filters.customerId) : undefined,
    filters.from ? gt(bookings.endAt, filters.from) : undefined,
    filters.to ? lt(bookings.startAt, filters.to) : undefined,
    q && filters.q
      ? or(
          ilike(bookings.guestName, q),
          ilike(bookings.guestEmail, q),
          ilike(bookings.itemName, q),
          like(sql`${bookings.id}::text`, `${escapeLike(filters.q.toLowerCase())}%`),
        )
      : undefined,
    page.after
      ? sql`(${bookings.createdAt}, ${bookings.id}) < (${page.after.createdAt}::timestamptz, ${page.after.id}::uuid)`
      : undefined,
  ].filter((c) => c !== undefined);
  return tx
    .select()
    .from(bookings)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(bookings.createdAt), desc(bookings.id))
    .limit(page.limit);
}
