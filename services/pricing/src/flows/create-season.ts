/** Adds a season to a location, refusing bad bounds (400) and overlaps with a season of the same kind (409). */
import { Conflict, ValidationFailed } from '@midas/contracts';
import type { Tx } from '@midas/db';
import type { Actor } from '../db/audit';
import { recordChange } from '../events/publish/pricing-changes';
import { lockSeasonsAt, seasonRows, seasonsAt, type NewSeason, type SeasonRow } from '../db/seasons';
import { seasonProblems, seasonsOverlap } from '../domain/season';
import type { FlowContext } from './context';

export function assertValidSeason(season: NewSeason): void {
  const problems = seasonProblems(season);
  if (problems.length) {
    throw new ValidationFailed(
      `Invalid body: ${problems.map((p) => p.field).join(', ')}`,
      problems.map((p) => ({ ...p, in: 'body' as const })),
    );
  }
}

/** Refuses a season that shares a date with another season of the same kind at its location. */
export async function assertNoOverlap(tx: Tx, season: NewSeason, ignoreId?: string): Promise<void> {
  const clash = (await seasonsAt(tx, season.location)).find(
    (s) => s.id !== ignoreId && seasonsOverlap(s, season),
  );
  if (clash) {
    throw new Conflict(
      'season_overlap',
      `The season overlaps "${clash.name}" (${clash.start} to ${clash.end}) at ${clash.location}`,
      {
        seasonId: clash.id,
      },
    );
  }
}

export async function createSeason(deps: FlowContext, actor: Actor, season: NewSeason): Promise<SeasonRow> {
  assertValidSeason(season);
  return deps.db.transaction(async (tx) => {
    await lockSeasonsAt(tx, season.location);
    await assertNoOverlap(tx, season);
    const row = await seasonRows.insert(tx, season);
    await recordChange(tx, actor, { action: 'create', entity: 'season', entityId: row.id, after: row });
    return row;
  });
}
