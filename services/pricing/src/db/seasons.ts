/** Seasons per location. */
import { asc, sql } from 'drizzle-orm';
import { keysetPage, rowsById, type Tx } from '@midas/db';
import { seasons } from './schema';

export type SeasonRow = typeof seasons.$inferSelect;
export type NewSeason = Omit<typeof seasons.$inferInsert, 'id' | 'createdAt'>;

export const seasonRows = rowsById(seasons);

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
  return keysetPage(tx, seasons, seasons.id, { after: filter.afterId, limit: filter.limit }, [
    filter.location ? sameLocation(filter.location) : undefined,
  ]);
}
