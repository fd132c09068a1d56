/**
 * GET /v1/bookings/:id/history: every status change, modification, payment and communication,
 * and for staff every calendar conflict, oldest first.
 */
import { historyEntry, type HistoryEntry } from '@midas/contracts';
import { decodeCursor, encodeCursor, isStaff, type Page } from '@midas/http';
import { z } from 'zod';
import { historyOf, type HistoryRow } from '../db/history';
import type { Caller, FlowContext } from './context';
import { findVisibleBooking } from './find-visible-booking';

// Every field is checked: `at` goes to SQL as ::timestamptz, where any other string was a 500.
const cursorSchema = z.strictObject({
  at: z.iso.datetime({ offset: true }),
  kind: z.enum(['status', 'modification', 'payment', 'communication', 'calendar_conflict']),
  id: z.string().min(1).max(200),
});

function entryOf(row: HistoryRow): HistoryEntry {
  const actor = row.actor_id ? { role: row.actor_role, id: row.actor_id } : { role: row.actor_role };
  // SQL nulls become absent fields; a first status entry keeps its explicit `from: null`.
  const data = Object.fromEntries(Object.entries(row.data).filter(([, v]) => v !== null));
  const from = row.kind === 'status' ? { from: row.data.from ?? null } : {};
  return historyEntry.parse({ kind: row.kind, at: row.at.toISOString(), actor, ...data, ...from });
}

export async function readHistory(
  deps: Pick<FlowContext, 'db'>,
  caller: Caller,
  bookingId: string,
  page: { limit: number; cursor?: string },
): Promise<Page<HistoryEntry>> {
  await findVisibleBooking(deps.db, bookingId, caller);
  const after = decodeCursor(cursorSchema, page.cursor);
  const rows = await historyOf(
    deps.db,
    bookingId,
    { limit: page.limit + 1, after },
    { staff: isStaff(caller.principal) },
  );
  const shown = rows.slice(0, page.limit);
  const last = shown[shown.length - 1];
  return {
    items: shown.map(entryOf),
    nextCursor:
      rows.length > page.limit && last
        ? encodeCursor({ at: last.at.toISOString(), kind: last.kind, id: last.sort_id })
        : null,
  };
}
