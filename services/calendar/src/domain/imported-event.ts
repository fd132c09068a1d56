/**
 * What an imported iCalendar feed asks of an item: its events (recurring ones expanded into
 * occurrences, exceptions and EXDATEs applied) read with ical.js, each with a stable key and the
 * period it blocks. All-day events block whole local days in the item's zone; timed events keep
 * their instant (TZID read as an IANA zone when it is one, else from the feed's VTIMEZONE; floating
 * times are the item's local time).
 */
import { createHash } from 'node:crypto';
import ICAL, { type Component, type Event, type RecurExpansion, type Time, type Timezone } from './ical';
import { DateTime } from 'luxon';
import type { OutsideDecision } from './external-event';
import { isValidZone } from './local-time';

export class FeedUnreadable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'FeedUnreadable';
  }
}

export interface ImportedEvent {
  /** The event's UID, with the occurrence's RECURRENCE-ID for a recurring one. */
  key: string;
  summary: string;
  decision: OutsideDecision;
}

export interface FeedReading {
  /** Events that end after `now` and start within the horizon, earliest first. */
  events: ImportedEvent[];
  /** Events left out because the feed had more than `maxEvents` ahead. */
  truncated: number;
}

export interface ReadOptions {
  itemZone: string;
  now: Date;
  /** Occurrences starting later than this many days from now are not read. */
  horizonDays: number;
  /** At most this many events are kept (the earliest). */
  maxEvents: number;
  /** At most this many occurrences of one recurring event are looked at, past ones included. */
  maxOccurrencesPerEvent?: number;
}

const MAX_KEY = 200;
type Zones = Map<string, Timezone>;

function stableKey(raw: string): string {
  return raw.length <= MAX_KEY ? raw : `h:${createHash('sha256').update(raw).digest('hex')}`;
}

/** The wall-clock fields of an ical.js time as an instant, in the zone its TZID names. */
function instantOf(time: Time, tzid: string | undefined, zones: Zones, itemZone: string): Date | undefined {
  const wall = {
    year: time.year,
    month: time.month,
    day: time.day,
    hour: time.hour,
    minute: time.minute,
    second: time.second,
  };
  if (time.zone?.tzid === 'UTC' || time.zone === ICAL.Timezone.utcTimezone) {
    return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
  }
  if (tzid && isValidZone(tzid)) return validDate(DateTime.fromObject(wall, { zone: tzid }));
  const defined = tzid ? zones.get(tzid) : undefined;
  if (defined) {
    const local = time.clone();
    local.zone = defined;
    const offset = defined.utcOffset(local);
    return new Date(
      Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - offset * 1000,
    );
  }
  // Floating (or an unknown zone): the item's local time.
  return validDate(DateTime.fromObject(wall, { zone: isValidZone(itemZone) ? itemZone : 'UTC' }));
}

function validDate(dt: DateTime): Date | undefined {
  return dt.isValid ? dt.toJSDate() : undefined;
}

/** Midnight starting the calendar date in the item's zone. */
function localDay(time: Time, itemZone: string): DateTime {
  return DateTime.fromObject(
    { year: time.year, month: time.month, day: time.day },
    { zone: isValidZone(itemZone) ? itemZone : 'UTC' },
  ).startOf('day');
}

const SLACK_MS = 2 * 86_400_000;

/**
 * Whether a time is certainly outside [now, horizon] whatever its zone (offsets are under a day):
 * years of past stays are skipped without the cost of zone arithmetic.
 */
function clearlyOutside(time: Time, now: number, horizon: number): 'past' | 'ahead' | null {
  const wall = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
  if (wall + SLACK_MS < now) return 'past';
  if (wall - SLACK_MS > horizon) return 'ahead';
  return null;
}

/** The period of one occurrence, or why it blocks nothing. */
export function occurrencePeriod(
  start: Time,
  end: Time | null,
  tz: { start?: string; end?: string },
  zones: Zones,
  itemZone: string,
): { start: Date; end: Date } | undefined {
  if (start.isDate) {
    const from = localDay(start, itemZone);
    let to = end ? localDay(end, itemZone) : from.plus({ days: 1 });
    // A date-only event always blocks at least its own day.
    if (to <= from) to = from.plus({ days: 1 });
    return from.isValid && to.isValid ? { start: from.toJSDate(), end: to.toJSDate() } : undefined;
  }
  const from = instantOf(start, tz.start, zones, itemZone);
  const to = end ? instantOf(end, tz.end ?? tz.start, zones, itemZone) : from;
  return from && to ? { start: from, end: to } : undefined;
}

function decide(
  component: Component,
  period: { start: Date; end: Date } | undefined,
  now: Date,
): OutsideDecision {
  const status = String(component.getFirstPropertyValue('status') ?? '').toUpperCase();
  if (status === 'CANCELLED') return { kind: 'none', reason: 'cancelled' };
  const transp = String(component.getFirstPropertyValue('transp') ?? '').toUpperCase();
  if (transp === 'TRANSPARENT') return { kind: 'none', reason: 'free' };
  if (!period || Number.isNaN(period.start.getTime()) || Number.isNaN(period.end.getTime())) {
    return { kind: 'none', reason: 'unreadable' };
  }
  if (period.end.getTime() <= period.start.getTime()) return { kind: 'none', reason: 'empty' };
  if (period.end.getTime() <= now.getTime()) return { kind: 'none', reason: 'past' };
  return { kind: 'block', period };
}

function tzidOf(component: Component, name: 'dtstart' | 'dtend'): string | undefined {
  const p = component.getFirstProperty(name)?.getParameter('tzid');
  return typeof p === 'string' && p ? p : undefined;
}

function summaryOf(component: Component): string {
  return String(component.getFirstPropertyValue('summary') ?? '').slice(0, 300);
}

function parse(text: string): Component {
  let jcal: unknown;
  try {
    jcal = ICAL.parse(text);
  } catch (err) {
    throw new FeedUnreadable(
      `not an iCalendar feed: ${err instanceof Error ? err.message.slice(0, 200) : 'unreadable'}`,
    );
  }
  const root =
    Array.isArray(jcal) && typeof jcal[0] === 'string' ? jcal : Array.isArray(jcal) ? jcal[0] : undefined;
  if (!Array.isArray(root) || root[0] !== 'vcalendar')
    throw new FeedUnreadable('not an iCalendar feed: no VCALENDAR');
  return new ICAL.Component(root as unknown[]);
}

/** What reading one feed works with: its zones, the window read, and where events are collected. */
interface Reading {
  zones: Zones;
  now: number;
  horizon: number;
  itemZone: string;
  /** A stable key for a raw identity, numbered when the feed repeats it. */
  keyFor: (raw: string) => string;
  add: (key: string, component: Component, period: { start: Date; end: Date } | undefined) => void;
}

function zonesOf(calendar: Component): Zones {
  const zones: Zones = new Map();
  for (const vtz of calendar.getAllSubcomponents('vtimezone')) {
    try {
      const zone = new ICAL.Timezone(vtz);
      if (zone.tzid) zones.set(zone.tzid, zone);
    } catch {
      // A broken VTIMEZONE: times naming it fall back to the item's zone.
    }
  }
  return zones;
}

/** Reads a feed's text into the events it asks to block; throws FeedUnreadable for anything not iCalendar. */
export function readFeedEvents(text: string, opts: ReadOptions): FeedReading {
  const calendar = parse(text);
  const now = opts.now.getTime();
  const found: (ImportedEvent & { at: number })[] = [];
  const used = new Map<string, number>();
  const r: Reading = {
    zones: zonesOf(calendar),
    now,
    horizon: now + opts.horizonDays * 86_400_000,
    itemZone: opts.itemZone,
    keyFor: (raw) => {
      const n = (used.get(raw) ?? 0) + 1;
      used.set(raw, n);
      return stableKey(n === 1 ? raw : `${raw}#${n}`);
    },
    add: (key, component, period) => {
      if (period && (period.end.getTime() <= now || period.start.getTime() > r.horizon)) return;
      found.push({
        key,
        summary: summaryOf(component),
        decision: decide(component, period, opts.now),
        at: period?.start.getTime() ?? now,
      });
    },
  };
  const masters = new Map<string, Event>();
  const exceptions: Event[] = [];

  for (const attached of calendar.getAllSubcomponents('vevent')) {
    // Detached from the calendar: an attached event scans every sibling for its exceptions, which
    // makes a feed of thousands of events quadratic; exceptions are related below instead.
    const component = new ICAL.Component(attached.jCal);
    let event: Event;
    try {
      event = new ICAL.Event(component);
    } catch {
      continue;
    }
    const uid = (event.uid ?? '').trim();
    if (uid && event.isRecurrenceException()) exceptions.push(event);
    else if (uid && event.isRecurring()) masters.set(uid, event);
    else readSingle(r, component, event, uid);
  }

  for (const ex of exceptions) {
    const master = masters.get(ex.uid.trim());
    if (master) {
      master.relateException(ex);
      continue;
    }
    // An exception without its series stands alone.
    const component = ex.component;
    const period = occurrencePeriod(
      ex.startDate,
      ex.endDate ?? null,
      { start: tzidOf(component, 'dtstart'), end: tzidOf(component, 'dtend') },
      r.zones,
      r.itemZone,
    );
    r.add(r.keyFor(`${ex.uid.trim()}@${ex.recurrenceId.toString()}`), component, period);
  }

  for (const [uid, master] of masters) expandSeries(r, uid, master, opts.maxOccurrencesPerEvent ?? 20_000);

  found.sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const kept = found.slice(0, opts.maxEvents);
  return {
    events: kept.map(({ key, summary, decision }) => ({ key, summary, decision })),
    truncated: found.length - kept.length,
  };
}

/** A single event (no series): keyed by its UID, or by a hash of its times and summary without one. */
function readSingle(r: Reading, component: Component, event: Event, uid: string): void {
  const { now, horizon } = r;
  const raw =
    uid ||
    `nouid:${createHash('sha256')
      .update(
        `${component.getFirstPropertyValue('dtstart')}|${component.getFirstPropertyValue('dtend')}|${summaryOf(component)}`,
      )
      .digest('hex')
      .slice(0, 32)}`;
  const end = event.endDate ?? event.startDate;
  if (
    event.startDate &&
    end &&
    (clearlyOutside(end, now, horizon) === 'past' ||
      clearlyOutside(event.startDate, now, horizon) === 'ahead')
  ) {
    return;
  }
  let period: { start: Date; end: Date } | undefined;
  try {
    period = event.startDate
      ? occurrencePeriod(
          event.startDate,
          event.endDate ?? null,
          { start: tzidOf(component, 'dtstart'), end: tzidOf(component, 'dtend') },
          r.zones,
          r.itemZone,
        )
      : undefined;
  } catch {
    period = undefined;
  }
  r.add(r.keyFor(raw), component, period);
}

/** A recurring series: its occurrences inside the window, at most `perEvent` of them looked at. */
function expandSeries(r: Reading, uid: string, master: Event, perEvent: number): void {
  const { now, horizon } = r;
  const masterTz = { start: tzidOf(master.component, 'dtstart'), end: tzidOf(master.component, 'dtend') };
  let iterator: RecurExpansion;
  try {
    iterator = master.iterator();
  } catch {
    return;
  }
  for (let n = 0; n < perEvent; n++) {
    let next: Time | undefined;
    try {
      next = iterator.next() ?? undefined;
    } catch {
      break;
    }
    if (!next) break;
    const details = master.getOccurrenceDetails(next);
    if (
      clearlyOutside(details.endDate, now, horizon) === 'past' &&
      clearlyOutside(next, now, horizon) === 'past'
    )
      continue;
    if (
      clearlyOutside(details.startDate, now, horizon) === 'ahead' &&
      clearlyOutside(next, now, horizon) === 'ahead'
    )
      break;
    const own = details.item.component;
    const tz =
      own === master.component ? masterTz : { start: tzidOf(own, 'dtstart'), end: tzidOf(own, 'dtend') };
    const period = occurrencePeriod(details.startDate, details.endDate, tz, r.zones, r.itemZone);
    // Occurrences come in order of their original start: past the horizon, the rest are too.
    const original = occurrencePeriod(next, null, masterTz, r.zones, r.itemZone);
    if (original && original.start.getTime() > horizon && (!period || period.start.getTime() > horizon))
      break;
    r.add(r.keyFor(`${uid}@${details.recurrenceId.toString()}`), own, period);
  }
}
