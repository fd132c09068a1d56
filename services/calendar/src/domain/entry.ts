/** What calendar keeps of one booking or blackout of an item: its period, status and the fields a calendar event shows. */
export type EntryKind = 'booking' | 'blackout';

export interface CalendarEntry {
  kind: EntryKind;
  /** The booking or blackout id. */
  ref: string;
  itemId: string;
  itemType: string | null;
  /** The item's IANA time zone, in which the event is shown. */
  timezone: string;
  start: Date;
  end: Date;
  /** A booking status, or `active` / `deleted` for a blackout. */
  status: string;
  /** What the event is called: a booking reference or a blackout's reason, never guest data. */
  summary: string;
  /** iCalendar SEQUENCE: bumped whenever what a subscriber sees changes. */
  sequence: number;
}

/** Booking statuses in which the item is in use (or was): shown as confirmed, written to Google. */
const CONFIRMED_STATUSES = new Set(['confirmed', 'concierge_assigned', 'ready', 'in_progress', 'completed']);
/** Booking statuses that make an external event in the same period a conflict. */
const CONFLICTING_STATUSES = new Set(['confirmed', 'concierge_assigned', 'ready', 'in_progress']);

/**
 * The status changes calendar binds: those that change what a subscriber or Google sees (the feed
 * status) or whether an outside event is a conflict. The steps between confirmation and completion
 * (assigned, ready, in progress) and the refund after a cancellation or no-show change neither,
 * so an entry keeps the last of these statuses its booking reached.
 */
export const SHOWN_STATUSES = ['confirmed', 'completed', 'cancelled', 'expired', 'no_show'] as const;

export type FeedStatus = 'TENTATIVE' | 'CONFIRMED' | 'CANCELLED';

/** How a subscriber sees the entry: an unpaid booking is tentative; one that freed its slot is cancelled. */
export function feedStatus(entry: Pick<CalendarEntry, 'kind' | 'status'>): FeedStatus {
  if (entry.kind === 'blackout') return entry.status === 'deleted' ? 'CANCELLED' : 'CONFIRMED';
  if (entry.status === 'pending_payment') return 'TENTATIVE';
  return CONFIRMED_STATUSES.has(entry.status) ? 'CONFIRMED' : 'CANCELLED';
}

/** The reason availability gives blackouts that hold the time of an event in the item's own calendar. */
export const OUTSIDE_BLACKOUT_REASON = 'external';

/**
 * Whether the entry is a blackout holding the time of an outside event: the event is already in the
 * item's calendar, so it is never written there a second time (it is still in the feed).
 */
export function mirrorsOutsideEvent(entry: Pick<CalendarEntry, 'kind' | 'summary'>): boolean {
  return entry.kind === 'blackout' && entry.summary === blackoutSummary(OUTSIDE_BLACKOUT_REASON);
}

/**
 * Whether the entry belongs in the item's Google calendar (unpaid and cancelled bookings do not,
 * nor blackouts that stand for an outside event already there).
 */
export function belongsInGoogle(
  entry: Pick<CalendarEntry, 'kind' | 'status'> & { summary?: string },
): boolean {
  if (entry.summary !== undefined && mirrorsOutsideEvent({ kind: entry.kind, summary: entry.summary }))
    return false;
  return feedStatus(entry) === 'CONFIRMED';
}

/** Whether an outside event overlapping this booking is a conflict staff must hear about. */
export function blocksExternalEvents(entry: Pick<CalendarEntry, 'kind' | 'status'>): boolean {
  return entry.kind === 'booking' && CONFLICTING_STATUSES.has(entry.status);
}

/** A short reference staff can quote for a booking, derived from its id (the feed carries nothing more). */
export function bookingReference(bookingId: string): string {
  return `MD-${bookingId.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
}

export function bookingSummary(itemName: string, bookingId: string): string {
  return `${itemName}: booking ${bookingReference(bookingId)}`;
}

export function blackoutSummary(reason: string): string {
  return `Unavailable: ${reason}`;
}

/**
 * The SEQUENCE an entry gets when `next` replaces `previous`: unchanged unless the period, the
 * feed status or the summary changed, so calendar clients only see real changes as updates.
 */
export function nextSequence(
  previous: Pick<CalendarEntry, 'kind' | 'status' | 'start' | 'end' | 'summary' | 'sequence'> | undefined,
  next: Pick<CalendarEntry, 'kind' | 'status' | 'start' | 'end' | 'summary'>,
): number {
  if (!previous) return 0;
  const changed =
    previous.start.getTime() !== next.start.getTime() ||
    previous.end.getTime() !== next.end.getTime() ||
    previous.summary !== next.summary ||
    feedStatus(previous) !== feedStatus(next);
  return changed ? previous.sequence + 1 : previous.sequence;
}
