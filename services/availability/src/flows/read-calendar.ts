/**
 * An item's calendar over a window: admins and concierges of the item's location see what and
 * whose; everyone else (other locations, concierges without one) anonymous busy blocks.
 */
import { calendarRows } from '../db/allocations';
import { calendarEntries, type CalendarEntry } from '../domain/calendar';
import type { Period } from '../domain/period';
import { actsOnItem, type StaffActor } from '../domain/staff-scope';
import type { FlowContext } from './context';
import { getItem } from './read-items';

export async function readCalendar(
  ctx: FlowContext,
  itemId: string,
  window: Period,
  viewer: { staff: boolean; actor: StaffActor },
): Promise<CalendarEntry[]> {
  const item = await getItem(ctx, itemId, viewer);
  const rows = await calendarRows(ctx.pool, itemId, window);
  return calendarEntries(
    rows.map((r) => ({ ...r, reason: r.note })),
    ctx.now(),
    actsOnItem(viewer.actor, item.location),
  );
}
