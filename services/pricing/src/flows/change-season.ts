/** Changes a season, with the same checks as adding one. */
import { NotFound } from '@midas/contracts';
import type { Actor } from '../db/audit';
import { recordChange } from '../events/publish/pricing-changes';
import { lockSeasonsAt, seasonRows, type NewSeason, type SeasonRow } from '../db/seasons';
import { assertNoOverlap, assertValidSeason } from './create-season';
import type { FlowContext } from './context';

export async function changeSeason(
  deps: FlowContext,
  actor: Actor,
  id: string,
  patch: Partial<NewSeason>,
): Promise<SeasonRow> {
  return deps.db.transaction(async (tx) => {
    const before = await seasonRows.find(tx, id);
    if (!before) throw new NotFound('season', `Season ${id} not found`);
    const { id: _id, createdAt: _created, ...current } = before;
    const next: NewSeason = { ...current, ...patch };
    assertValidSeason(next);
    // Both locations are locked in a fixed order so two moves in opposite directions cannot deadlock.
    for (const location of [
      ...new Set([before.location.toLowerCase(), next.location.toLowerCase()]),
    ].sort()) {
      await lockSeasonsAt(tx, location);
    }
    await assertNoOverlap(tx, next, id);
    const after = await seasonRows.update(tx, id, next);
    await recordChange(tx, actor, { action: 'update', entity: 'season', entityId: id, before, after });
    return after;
  });
}
