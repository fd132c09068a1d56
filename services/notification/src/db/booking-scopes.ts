/** SQL for each booking's staff scope (location, assigned concierge), kept from consumed booking events. */
import { eq } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { bookingScopes, type BookingScopeRow } from './schema';

/** Records what the newest event says: a reassignment or a move to another item replaces the old scope. */
export async function saveBookingScope(
  db: Tx,
  scope: { bookingId: string; location: string; conciergeId: string | null },
): Promise<void> {
  await db
    .insert(bookingScopes)
    .values({ ...scope, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: bookingScopes.bookingId,
      set: { location: scope.location, conciergeId: scope.conciergeId, updatedAt: new Date() },
    });
}

export async function findBookingScope(db: Tx, bookingId: string): Promise<BookingScopeRow | undefined> {
  const [row] = await db.select().from(bookingScopes).where(eq(bookingScopes.bookingId, bookingId));
  return row;
}
