/** Concierges, their load, and the assignments that make it up. */
import { and, asc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import type { ConciergeLoad } from '../domain';
import { assignments, concierges, type ConciergeRow } from './schema';

export async function insertConcierge(
  tx: Tx,
  row: Pick<ConciergeRow, 'id' | 'name' | 'email' | 'location' | 'capacity'>,
): Promise<ConciergeRow | undefined> {
  const [inserted] = await tx.insert(concierges).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function updateConcierge(
  tx: Tx,
  id: string,
  patch: Partial<Pick<ConciergeRow, 'name' | 'email' | 'location' | 'capacity' | 'active'>>,
): Promise<ConciergeRow | undefined> {
  const [row] = await tx
    .update(concierges)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(concierges.id, id))
    .returning();
  return row;
}

export async function listConcierges(
  tx: Tx,
  opts: { location?: string; after?: string; limit: number },
): Promise<ConciergeRow[]> {
  const where = [
    opts.location ? eq(concierges.location, opts.location) : undefined,
    opts.after ? gt(concierges.id, opts.after) : undefined,
  ].filter((c) => c !== undefined);
  return tx
    .select()
    .from(concierges)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(concierges.id))
    .limit(opts.limit);
}

export async function findConcierge(tx: Tx, id: string): Promise<ConciergeRow | undefined> {
  const [row] = await tx.select().from(concierges).where(eq(concierges.id, id));
  return row;
}

/** Active concierges with room left: the candidates of an assignment. */
export async function availableConcierges(tx: Tx): Promise<ConciergeLoad[]> {
  return tx
    .select({
      id: concierges.id,
      location: concierges.location,
      capacity: concierges.capacity,
      activeAssignments: concierges.activeAssignments,
    })
    .from(concierges)
    .where(and(eq(concierges.active, true), lt(concierges.activeAssignments, concierges.capacity)));
}

/**
 * Takes one unit of the concierge's capacity, only if still free (two assignments racing cannot
 * overfill). `beyondCapacity`: the concierge is already doing the work (a check-in), so it counts
 * even when it goes over.
 */
export async function takeCapacity(
  tx: Tx,
  conciergeId: string,
  opts: { beyondCapacity?: boolean } = {},
): Promise<boolean> {
  const rows = await tx
    .update(concierges)
    .set({ activeAssignments: sql`${concierges.activeAssignments} + 1` })
    .where(
      and(
        eq(concierges.id, conciergeId),
        eq(concierges.active, true),
        opts.beyondCapacity ? undefined : lt(concierges.activeAssignments, concierges.capacity),
      ),
    )
    .returning({ id: concierges.id });
  return rows.length === 1;
}

export async function openAssignment(
  tx: Tx,
  bookingId: string,
  conciergeId: string,
  reason: string,
): Promise<void> {
  await tx.insert(assignments).values({ bookingId, conciergeId, reason });
}

/** Closes the booking's open assignment and gives the concierge the capacity back. */
export async function closeAssignment(tx: Tx, bookingId: string): Promise<void> {
  const closed = await tx
    .update(assignments)
    .set({ releasedAt: sql`clock_timestamp()` })
    .where(and(eq(assignments.bookingId, bookingId), isNull(assignments.releasedAt)))
    .returning({ conciergeId: assignments.conciergeId });
  for (const { conciergeId } of closed) {
    await tx
      .update(concierges)
      .set({ activeAssignments: sql`greatest(${concierges.activeAssignments} - 1, 0)` })
      .where(eq(concierges.id, conciergeId));
  }
}

/**
 * The concierge the assignment rule (domain/concierge-assignment.ts) prefers among those with
 * room whose row no other transaction holds, locked until this one ends: the item's location
 * first, then the fewest active assignments, the most capacity, the smallest id. Rows another
 * assignment is taking are skipped rather than waited for, so concurrent confirmations spread
 * over the concierges instead of queueing on one row. Undefined when none is free and unlocked.
 */
export async function pickFreeConcierge(
  tx: Tx,
  location: string,
): Promise<{ id: string; location: string } | undefined> {
  const [row] = await tx
    .select({ id: concierges.id, location: concierges.location })
    .from(concierges)
    .where(and(eq(concierges.active, true), lt(concierges.activeAssignments, concierges.capacity)))
    .orderBy(
      sql`${concierges.location} = ${location} DESC`,
      asc(concierges.activeAssignments),
      sql`${concierges.capacity} DESC`,
      asc(concierges.id),
    )
    .limit(1)
    .for('update', { skipLocked: true });
  return row;
}
