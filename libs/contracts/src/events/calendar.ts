/** Events published by the calendar service about changes found in a linked Google calendar. */
import { z } from 'zod';

const instant = z.iso.datetime({ offset: true });
const externalEvent = z.object({
  itemId: z.uuid(),
  /** The Google calendar the event was found in, and the event's id there. */
  calendarId: z.string(),
  googleEventId: z.string(),
  start: instant,
  end: instant,
  /** The event's title as written in Google (staff-authored, never guest data). */
  summary: z.string(),
});

export const calendarEvents = {
  /** Someone put an event in the item's calendar that overlaps a confirmed booking. */
  'calendar.conflict': externalEvent.extend({ bookingIds: z.array(z.uuid()).min(1) }),
  /** Someone put an event in the item's calendar on a free period: staff may want it blocked. */
  'calendar.blackout_requested': externalEvent,
} as const;
export type CalendarEventType = keyof typeof calendarEvents;
