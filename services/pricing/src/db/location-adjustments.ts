/** Location surcharges or discounts, for every item type at a location or for one type there. */
import { and, eq, sql } from 'drizzle-orm';
import type { ItemType } from '@midas/contracts';
import { keysetPage, rowsById, type Tx } from '@midas/db';
import { locationAdjustments } from './schema';

export type LocationAdjustmentRow = typeof locationAdjustments.$inferSelect;

export const locationAdjustmentRows = rowsById(locationAdjustments);

const sameScope = (location: string, itemType: ItemType | null) =>
  and(
    sql`lower(${locationAdjustments.location}) = lower(${location})`,
    sql`coalesce(${locationAdjustments.itemType}, '') = ${itemType ?? ''}`,
  );

export async function listLocationAdjustments(
  tx: Tx,
  filter: { afterId?: string; limit: number },
): Promise<LocationAdjustmentRow[]> {
  return keysetPage(tx, locationAdjustments, locationAdjustments.id, {
    after: filter.afterId,
    limit: filter.limit,
  });
}

export async function findLocationAdjustment(
  tx: Tx,
  location: string,
  itemType: ItemType | null,
): Promise<LocationAdjustmentRow | undefined> {
  const [row] = await tx.select().from(locationAdjustments).where(sameScope(location, itemType));
  return row;
}

/** Serialises writers of one location's adjustments, since "replace if present" is a read followed by a write. */
export async function lockLocationAdjustmentsAt(tx: Tx, location: string): Promise<void> {
  await tx.execute(
    sql`SELECT pg_advisory_xact_lock(hashtext('pricing:location-adjustment:' || lower(${location})))`,
  );
}

/** Creates or replaces the adjustment of one scope (location, item type or all types). */
export async function putLocationAdjustment(
  tx: Tx,
  adjustment: { location: string; itemType: ItemType | null; description: string; bps: number },
): Promise<LocationAdjustmentRow> {
  const existing = await findLocationAdjustment(tx, adjustment.location, adjustment.itemType);
  if (existing) {
    const [row] = await tx
      .update(locationAdjustments)
      .set({ ...adjustment, location: existing.location, updatedAt: sql`now()` })
      .where(eq(locationAdjustments.id, existing.id))
      .returning();
    return row!;
  }
  const [row] = await tx.insert(locationAdjustments).values(adjustment).returning();
  return row!;
}
