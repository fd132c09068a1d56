/**
 * The shared calendar of an item type ("Midas Yachts", ...): the recorded one, or one made through
 * the API on first use. Two first uses at once may both make one; the first recorded wins and the
 * other is deleted again, so every item of the type ends up in the same calendar.
 */
import { RuleViolation, Unavailable } from '@midas/contracts';
import { typeCalendarSummary } from '../domain/type-calendar';
import { readTypeCalendar, saveTypeCalendar } from '../db/type-calendars';
import { googleErrorText } from '../google/google-calendar';
import type { FlowContext } from './context';

export async function typeCalendar(ctx: FlowContext, itemType: string, timeZone: string): Promise<string> {
  const known = await readTypeCalendar(ctx.db, itemType);
  if (known) return known;
  const summary = typeCalendarSummary(itemType);
  if (!summary) throw new RuleViolation('unknown_item_type', `Items of type ${itemType} have no calendar`);
  if (!ctx.google) {
    throw new RuleViolation(
      'calendar_sync_off',
      `Google Calendar sync is off (${ctx.sync.reason ?? 'not configured'}); give a calendarId to link anyway`,
    );
  }
  let made: string;
  try {
    made = await ctx.google.createCalendar(summary, timeZone);
  } catch (err) {
    throw new Unavailable(
      'google_unavailable',
      `Could not make the ${summary} calendar: ${googleErrorText(err)}`,
    );
  }
  const kept = await saveTypeCalendar(ctx.db, itemType, made, summary);
  if (kept !== made) {
    await ctx.google
      .deleteCalendar(made)
      .catch((err: unknown) =>
        ctx.logger.warn(
          { calendarId: made, err: googleErrorText(err) },
          'could not delete a duplicate type calendar',
        ),
      );
  } else {
    ctx.logger.info({ itemType, calendarId: made, summary }, 'type calendar made');
  }
  return kept;
}
