/**
 * How the outside events of an item (events others put in its Google calendar) become its
 * blackouts. Each event blocks its period unless a booking is there (then it is a conflict for
 * staff, and blocks nothing); a guest's hold in its way gives way, since that time is sold
 * elsewhere. The blocked time is the union of the remaining events, less what staff blackouts
 * already block, cut into disjoint segments: overlapping outside events make one blackout, and the
 * allocations constraint never sees two blackouts over the same time.
 */
import { overlaps, type Period } from './period';
import type { AllocationKind } from './reasons';

export interface OutsideEventPeriod {
  /** Unique per outside event: the calendar and its event id. */
  source: string;
  period: Period;
}

/** An active allocation of the item that is not one of the outside-event blackouts themselves. */
export interface OtherOccupation {
  id: string;
  kind: AllocationKind;
  /** The booking a booked slot or a hold is for; null for a guest's hold and for blackouts. */
  ref: string | null;
  blocked: Period;
}

export interface OutsidePlan {
  /** Disjoint, sorted, non-empty periods to hold as outside-event blackouts. */
  segments: Period[];
  /** Events that cannot block because of bookings, with those bookings (sorted, distinct). */
  conflicts: Map<string, string[]>;
  /** Guests' holds (no booking yet) to release for events that block. */
  releasedHolds: string[];
}

const t = (d: Date) => d.getTime();

/** The union of periods as disjoint sorted periods; touching periods join. */
export function unionOf(periods: Period[]): Period[] {
  const sorted = periods.filter((p) => t(p.end) > t(p.start)).sort((a, b) => t(a.start) - t(b.start));
  const out: Period[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && t(p.start) <= t(last.end)) {
      if (t(p.end) > t(last.end)) last.end = p.end;
    } else out.push({ start: p.start, end: p.end });
  }
  return out;
}

/** `from` less every period of `cut`, as disjoint sorted periods. */
export function subtract(from: Period[], cut: Period[]): Period[] {
  const holes = unionOf(cut);
  const out: Period[] = [];
  for (const p of unionOf(from)) {
    let start = t(p.start);
    const end = t(p.end);
    for (const h of holes) {
      if (t(h.end) <= start || t(h.start) >= end) continue;
      if (t(h.start) > start) out.push({ start: new Date(start), end: h.start });
      start = Math.max(start, t(h.end));
    }
    if (start < end) out.push({ start: new Date(start), end: new Date(end) });
  }
  return out;
}

export function planOutsideBlocks(events: OutsideEventPeriod[], others: OtherOccupation[]): OutsidePlan {
  const conflicts = new Map<string, string[]>();
  const released = new Set<string>();
  const blocking: Period[] = [];
  for (const event of events) {
    const inTheWay = others.filter((o) => o.kind !== 'blackout' && overlaps(o.blocked, event.period));
    const bookingIds = [...new Set(inTheWay.map((o) => o.ref).filter((r): r is string => r !== null))].sort();
    if (bookingIds.length) {
      conflicts.set(event.source, bookingIds);
      continue;
    }
    for (const o of inTheWay) released.add(o.id);
    blocking.push(event.period);
  }
  const staffBlackouts = others.filter((o) => o.kind === 'blackout').map((o) => o.blocked);
  return {
    segments: subtract(blocking, staffBlackouts),
    conflicts,
    releasedHolds: [...released].sort(),
  };
}

export interface SegmentChanges {
  /** Current segments that no longer belong (ids). */
  remove: string[];
  /** Planned segments not held yet. */
  add: Period[];
}

/** What turns the current outside-event blackouts into the planned ones: unchanged ones stay. */
export function segmentChanges(current: { id: string; period: Period }[], planned: Period[]): SegmentChanges {
  const same = (a: Period, b: Period) => t(a.start) === t(b.start) && t(a.end) === t(b.end);
  return {
    remove: current.filter((c) => !planned.some((p) => same(p, c.period))).map((c) => c.id),
    add: planned.filter((p) => !current.some((c) => same(p, c.period))),
  };
}
