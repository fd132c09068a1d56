/**
 * Whether one of Midas's own events, as found in Google, still says what Midas has: Midas is the
 * source of truth for its events, so one edited or deleted there is written back.
 */
import { belongsInGoogle, type CalendarEntry } from './entry';
import { fromGoogleTime, type GoogleTime } from './local-time';

export interface FoundEvent {
  status?: string | null;
  summary?: string | null;
  start?: GoogleTime | null;
  end?: GoogleTime | null;
}

export type OwnEventJudgement =
  | { kind: 'in_step' }
  /** Deleted in Google while Midas has it; moved or retitled; present though Midas removed it. */
  | { kind: 'changed'; change: 'deleted' | 'moved' | 'edited' | 'restored' };

export function judgeOwnEvent(
  entry: Pick<CalendarEntry, 'kind' | 'status' | 'summary' | 'start' | 'end' | 'timezone'>,
  found: FoundEvent,
): OwnEventJudgement {
  const wanted = belongsInGoogle(entry);
  const present = found.status !== 'cancelled';
  if (!wanted) return present ? { kind: 'changed', change: 'restored' } : { kind: 'in_step' };
  if (!present) return { kind: 'changed', change: 'deleted' };
  const start = fromGoogleTime(found.start, entry.timezone);
  const end = fromGoogleTime(found.end, entry.timezone);
  if (start?.getTime() !== entry.start.getTime() || end?.getTime() !== entry.end.getTime()) {
    return { kind: 'changed', change: 'moved' };
  }
  if ((found.summary ?? '') !== entry.summary) return { kind: 'changed', change: 'edited' };
  return { kind: 'in_step' };
}

const WORDS: Record<'deleted' | 'moved' | 'edited' | 'restored', string> = {
  deleted: 'deleted in Google Calendar',
  moved: 'moved in Google Calendar',
  edited: 'retitled in Google Calendar',
  restored: 'put back in Google Calendar though Midas removed it',
};

/** What staff read in the booking's history. */
export function ownEventChangeSummary(change: 'deleted' | 'moved' | 'edited' | 'restored'): string {
  return `The Midas event was ${WORDS[change]}; it has been written back as Midas has it`;
}
