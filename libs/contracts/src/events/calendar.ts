/** Events about outside events found in a linked Google calendar, and the conflicts they make. */
import { z } from 'zod';

const instant = z.iso.datetime({ offset: true });
const outsideEventRef = z.object({
  itemId: z.uuid(),
  /** The Google calendar the event was found in, and the event's id there. */
  calendarId: z.string(),
  googleEventId: z.string(),
  /**
   * Grows by one with every change calendar reports about this event, so a consumer keeps the
   * newest and ignores an older report delivered late or again.
   */
  revision: z.number().int().nonnegative(),
});
const outsideEvent = outsideEventRef.extend({
  start: instant,
  end: instant,
  /** The event's title as written in Google (staff-authored, never guest data). */
  summary: z.string(),
});

export const calendarEvents = {
  /**
   * Staff must look at a booking because of its item's Google calendar. `outside_event` (or no
   * kind): an event others put there could not become a blackout because bookings are there
   * (published by availability, whose constraint refused it). `midas_event_changed`: the booking's
   * own event was edited or deleted in Google and has been put back as Midas has it (published by
   * calendar; start and end are the event as it was found, summary says what happened). Booking
   * keeps it in the booking's history; staff are told.
   */
  'calendar.conflict': outsideEvent.omit({ revision: true }).extend({
    kind: z.enum(['outside_event', 'midas_event_changed']).optional(),
    bookingIds: z.array(z.uuid()).min(1),
    revision: z.number().int().nonnegative().optional(),
    /** The item's name and zone, so staff can be told where and when in their own words. */
    itemName: z.string().optional(),
    timezone: z.string().optional(),
  }),
  /**
   * An event someone else put in the item's calendar blocks this period (new, or moved, shrunk or
   * grown: the latest revision replaces earlier ones). Availability makes it a blackout.
   */
  'calendar.blackout_requested': outsideEvent,
  /** The outside event no longer blocks anything (deleted, cancelled, made free or declined). */
  'calendar.blackout_withdrawn': outsideEventRef,
} as const;
export type CalendarEventType = keyof typeof calendarEvents;
