/**
 * An item's iCalendar feed: one VEVENT per booking and blackout, in UTC, with stable UIDs and a
 * SEQUENCE that grows with each change. Freed bookings stay as STATUS:CANCELLED so subscribed
 * calendars remove them. Nothing about the guest is written: only the booking reference.
 */
import ical, { ICalEventBusyStatus, ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import { feedStatus, type CalendarEntry } from './entry';
import { icalUid } from './event-ids';

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
  const calendar = ical({
    name: item.name ? `${item.name} (Midas)` : 'Midas item',
    prodId: { company: 'Midas', product: 'calendar', language: 'EN' },
    // Clients poll no more often than this.
    ttl: 15 * 60,
    x: { 'X-WR-TIMEZONE': item.timezone },
  });
  const ordered = [...entries].sort(
    (a, b) => a.start.getTime() - b.start.getTime() || a.ref.localeCompare(b.ref),
  );
  for (const entry of ordered) {
    const status = feedStatus(entry);
    calendar.createEvent({
      id: icalUid(entry.kind, entry.ref),
      start: entry.start,
      end: entry.end,
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
