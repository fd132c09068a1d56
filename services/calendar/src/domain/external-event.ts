/**
 * What an event someone else put in an item's Google calendar asks of Midas: a period to block
 * (as a blackout, through availability), or nothing; and which report, if any, tells availability
 * about a change since the last one. Conflicts with bookings are availability's to judge.
 */
import { fromGoogleTime, type GoogleTime } from './local-time';

export interface Period {
  start: Date;
  end: Date;
}

/** The fields of a Google event that decide whether it blocks the item. */
export interface OutsideEvent {
  status?: string | null;
  /** `transparent` means "free": the event does not block time. */
  transparency?: string | null;
  attendees?: { self?: boolean | null; responseStatus?: string | null }[] | null;
  start?: GoogleTime | null;
  end?: GoogleTime | null;
}

export type OutsideDecision =
  | { kind: 'block'; period: Period }
  | { kind: 'none'; reason: 'cancelled' | 'free' | 'declined' | 'unreadable' | 'empty' | 'past' };

export function overlaps(a: Period, b: Period): boolean {
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}

/**
 * The period an outside event blocks. Date-only (all-day) events are whole local days in the item's
 * zone, whatever their length that day; events already over block nothing.
 */
export function decideOutsideEvent(event: OutsideEvent, itemZone: string, now: Date): OutsideDecision {
  if (event.status === 'cancelled') return { kind: 'none', reason: 'cancelled' };
  if (event.transparency === 'transparent') return { kind: 'none', reason: 'free' };
  if (event.attendees?.some((a) => a.self && a.responseStatus === 'declined')) {
    return { kind: 'none', reason: 'declined' };
  }
  const start = fromGoogleTime(event.start, itemZone);
  const end = fromGoogleTime(event.end, itemZone);
  if (!start || !end) return { kind: 'none', reason: 'unreadable' };
  if (end.getTime() <= start.getTime()) return { kind: 'none', reason: 'empty' };
  if (end.getTime() <= now.getTime()) return { kind: 'none', reason: 'past' };
  return { kind: 'block', period: { start, end } };
}

/** What calendar last told availability about an outside event. */
export interface ReportedState {
  /** The period last requested, or null when nothing blocks (never requested, or withdrawn). */
  period: Period | null;
  revision: number;
}

export type Report =
  { kind: 'requested'; period: Period; revision: number } | { kind: 'withdrawn'; revision: number };

/**
 * The report a new decision calls for: a request when the blocked period is new or changed, a
 * withdrawal when a period was blocked and no longer is, nothing otherwise (a redelivered or
 * unchanged event reports nothing twice).
 */
export function nextReport(previous: ReportedState | undefined, decision: OutsideDecision): Report | null {
  const revision = (previous?.revision ?? 0) + 1;
  const before = previous?.period ?? null;
  if (decision.kind === 'none') return before ? { kind: 'withdrawn', revision } : null;
  const p = decision.period;
  if (before && before.start.getTime() === p.start.getTime() && before.end.getTime() === p.end.getTime()) {
    return null;
  }
  return { kind: 'requested', period: p, revision };
}

/** The state to remember after sending `report`. */
export function reportedAfter(previous: ReportedState | undefined, report: Report | null): ReportedState {
  if (!report) return previous ?? { period: null, revision: 0 };
  return { period: report.kind === 'requested' ? report.period : null, revision: report.revision };
}

/**
 * How a consumer applies reports: per event, the highest revision wins, so duplicates and late
 * deliveries change nothing. Returns the periods that should be blocked, by event.
 */
export function applyReport(
  blocked: Map<string, { period: Period | null; revision: number }>,
  eventKey: string,
  report: Report,
): void {
  const current = blocked.get(eventKey);
  if (current && current.revision >= report.revision) return;
  blocked.set(eventKey, {
    period: report.kind === 'requested' ? report.period : null,
    revision: report.revision,
  });
}
