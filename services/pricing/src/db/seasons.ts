/** Seasons per location. */
import { asc, eq, gt, and, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { seasons } from './schema';

export type SeasonRow = typeof seasons.$inferSelect;
export type NewSeason = Omit<typeof seasons.$inferInsert, 'id' | 'createdAt'>;

const sameLocation = (location: string) => sql`lower(${seasons.location}) = lower(${location})`;

export async function seasonsAt(tx: Tx, location: string): Promise<SeasonRow[]> {
  return tx.select().from(seasons).where(sameLocation(location)).orderBy(asc(seasons.start));
}

/** Serialises season changes of one location, so two admins cannot add overlapping seasons at once. */
export async function lockSeasonsAt(tx: Tx, location: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('pricing:seasons:' || lower(${location})))`);
}

export async function listSeasons(
  tx: Tx,
  filter: { location?: string; afterId?: string; limit: number },
): Promise<SeasonRow[]> {
  const where: SQL[] = [];
  if (filter.location) where.push(sameLocation(filter.location));
  if (filter.afterId) where.push(gt(seasons.id, filter.afterId));
  return tx
    .select()
    .from(seasons)
    .where(and(...where))
    .orderBy(asc(seasons.id))
    .limit(filter.limit);
}

export async function findSeason(tx: Tx, id: string): Promise<SeasonRow | undefined> {
  const [row] = await tx.select().from(seasons).where(eq(seasons.id, id));
  return row;
}

export async function insertSeason(tx: Tx, season: NewSeason): Promise<SeasonRow> {
  const [row] = await tx.insert(seasons).values(season).returning();
  return row!;
}

export async function updateSeason(tx: Tx, id: string, season: NewSeason): Promise<SeasonRow> {
  const [row] = await tx.update(seasons).set(season).where(eq(seasons.id, id)).returning();
  return row!;
}

export async function deleteSeason(tx: Tx, id: string): Promise<void> {
  await tx.delete(seasons).where(eq(seasons.id, id));
}
