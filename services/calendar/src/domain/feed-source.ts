/**
 * How an imported feed's events are named to availability: the feed stands where a Google
 * calendar id stands (`ical:<feed id>`) and the event's key (UID, and RECURRENCE-ID for an
 * occurrence) where a Google event id stands.
 */
const PREFIX = 'ical:';

export function feedCalendarId(feedId: string): string {
  return `${PREFIX}${feedId}`;
}

export function isFeedCalendarId(calendarId: string): boolean {
  return calendarId.startsWith(PREFIX);
}
