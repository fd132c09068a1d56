/** Staff management (super_admin): add concierges with a location and capacity, change them, list them. */
import { Conflict, NotFound } from '@midas/contracts';
import { decodeCursor, encodeCursor, type Page } from '@midas/http';
import { z } from 'zod';
import { insertConcierge, listConcierges, updateConcierge } from '../db/concierges';
import type { ConciergeRow } from '../db/schema';
import type { FlowContext } from './context';

export async function addConcierge(
  deps: Pick<FlowContext, 'db' | 'assignments'>,
  body: Pick<ConciergeRow, 'id' | 'name' | 'email' | 'location' | 'capacity'>,
): Promise<ConciergeRow> {
  const created = await insertConcierge(deps.db, body);
  if (!created) throw new Conflict('concierge_exists', `A concierge with id ${body.id} already exists`);
  // Every staff change runs the rescue: it assigns waiting bookings when there is room now, and
  // raises the near-start alert when there still is not.
  await deps.assignments?.nudge('concierge_added');
  return created;
}

export async function changeConcierge(
  deps: Pick<FlowContext, 'db' | 'assignments'>,
  id: string,
  patch: Partial<Pick<ConciergeRow, 'name' | 'email' | 'location' | 'capacity' | 'active'>>,
): Promise<ConciergeRow> {
  const updated = await updateConcierge(deps.db, id, patch);
  if (!updated) throw new NotFound('concierge');
  // Re-activated, given more room or moved: bookings waiting for a concierge may now have one.
  await deps.assignments?.nudge('concierge_changed');
  return updated;
}

const cursorSchema = z.strictObject({ id: z.string().min(1).max(200) });

export async function pageConcierges(
  deps: Pick<FlowContext, 'db'>,
  query: { location?: string; limit: number; cursor?: string },
): Promise<Page<ConciergeRow>> {
  const after = decodeCursor(cursorSchema, query.cursor)?.id;
  const rows = await listConcierges(deps.db, { location: query.location, after, limit: query.limit + 1 });
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor({ id: last.id }) : null };
}
