/** An item's calendar over a window: staff see what and whose, everyone else anonymous busy blocks. */
import { calendarRows } from '../db/allocations';
import { calendarEntries, type CalendarEntry } from '../domain/calendar';
import type { Period } from '../domain/period';
import type { FlowContext } from './context';
import { getItem } from './read-items';

export async function readCalendar(
  ctx: FlowContext,
  itemId: string,
  window: Period,
  viewer: { staff: boolean },
): Promise<CalendarEntry[]> {
  await getItem(ctx, itemId, viewer);
  const rows = await calendarRows(ctx.pool, itemId, window);
  return calendarEntries(
    rows.map((r) => ({ ...r, reason: r.note })),
    ctx.now(),
    viewer.staff,
  );
}
