/**
 * Stable identifiers of our events: the iCalendar UID and the Google event id are derived from the
 * booking or blackout id, so a rewrite or a retried insert always targets the same event.
 */
import type { EntryKind } from './entry';

/** Google event ids use base32hex (a-v, 0-9), 5 to 1024 characters; a UUID's hex digits fit. */
const PREFIX: Record<EntryKind, string> = { booking: 'midasbk', blackout: 'midasbl' };

export function googleEventId(kind: EntryKind, ref: string): string {
  return `${PREFIX[kind]}${ref.toLowerCase().replace(/-/g, '')}`;
}

/** Whether a Google event id is one we wrote (anything else in a linked calendar is external). */
export function isOurGoogleEventId(id: string): boolean {
  return /^midasb[kl][0-9a-f]{32}$/.test(id);
}

/** The booking or blackout one of our Google event ids stands for; undefined for any other id. */
export function parseGoogleEventId(id: string): { kind: EntryKind; ref: string } | undefined {
  const m = /^midasb([kl])([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/.exec(id);
  if (!m) return undefined;
  return { kind: m[1] === 'k' ? 'booking' : 'blackout', ref: m.slice(2).join('-') };
}

export function icalUid(kind: EntryKind, ref: string): string {
  return `${kind}-${ref.toLowerCase()}@calendar.midas`;
}
