/**
 * An item's iCalendar feed: one VEVENT per booking and blackout, with stable UIDs and a SEQUENCE
 * that grows with each change. Times are wall-clock times in the item's zone (TZID) with that
 * zone's VTIMEZONE, so subscribers show them as the item lives them across DST changes. Freed
 * bookings stay as STATUS:CANCELLED so subscribed calendars remove them. Nothing about the guest
 * is written: only the booking reference.
 */
import ical, { ICalEventBusyStatus, ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import { DateTime } from 'luxon';
import { feedStatus, type CalendarEntry } from './entry';
import { icalUid } from './event-ids';
import { vtimezoneOf, writesAsLocalTime } from './zone-rules';

export interface FeedEntry extends CalendarEntry {
  /** When the entry last changed: the event's DTSTAMP and LAST-MODIFIED. */
  updatedAt: Date;
}

export interface FeedItem {
  itemId: string;
  name: string | null;
  timezone: string;
}

const STATUS: Record<ReturnType<typeof feedStatus>, ICalEventStatus> = {
  TENTATIVE: ICalEventStatus.TENTATIVE,
  CONFIRMED: ICalEventStatus.CONFIRMED,
  CANCELLED: ICalEventStatus.CANCELLED,
};

export function renderFeed(item: FeedItem, entries: FeedEntry[]): string {
  const zone = item.timezone;
  const calendar = ical({
    name: item.name ? `${item.name} (Midas)` : 'Midas item',
    prodId: { company: 'Midas', product: 'calendar', language: 'EN' },
    // Clients poll no more often than this.
    ttl: 15 * 60,
    // No calendar-wide zone (ical-generator would write DTSTAMP in it, which must be UTC): each
    // event names the zone, and the generator adds one VTIMEZONE per zone the events use.
    timezone: { name: null, generator: vtimezoneOf },
    x: { 'X-WR-TIMEZONE': item.timezone },
  });
  const ordered = [...entries].sort(
    (a, b) => a.start.getTime() - b.start.getTime() || a.ref.localeCompare(b.ref),
  );
  for (const entry of ordered) {
    const status = feedStatus(entry);
    // A time local time cannot name exactly (the hour repeated when clocks go back, a zone
    // without a VTIMEZONE, a date before the zone's rules changed) is written in UTC.
    const local = writesAsLocalTime(entry.start, zone) && writesAsLocalTime(entry.end, zone);
    calendar.createEvent({
      id: icalUid(entry.kind, entry.ref),
      start: local ? DateTime.fromJSDate(entry.start, { zone }) : entry.start,
      end: local ? DateTime.fromJSDate(entry.end, { zone }) : entry.end,
      timezone: local ? zone : null,
      summary: entry.summary,
      sequence: entry.sequence,
      status: STATUS[status],
      stamp: entry.updatedAt,
      lastModified: entry.updatedAt,
      transparency: status === 'CANCELLED' ? ICalEventTransparency.TRANSPARENT : ICalEventTransparency.OPAQUE,
      busystatus: status === 'CANCELLED' ? ICalEventBusyStatus.FREE : ICalEventBusyStatus.BUSY,
      x: { 'X-MIDAS-KIND': entry.kind },
    });
  }
  return calendar.toString();
}
