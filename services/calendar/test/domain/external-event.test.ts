import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  applyReport,
  decideOutsideEvent,
  nextReport,
  reportedAfter,
  type OutsideEvent,
  type Period,
  type Report,
  type ReportedState,
} from '../../src/domain/external-event';

const NOW = new Date('2037-01-01T00:00:00Z');
const hour = 3600_000;
const at = (h: number) => new Date(NOW.getTime() + h * hour);
const timed = (start: number, end: number): OutsideEvent => ({
  status: 'confirmed',
  start: { dateTime: at(start).toISOString() },
  end: { dateTime: at(end).toISOString() },
});
const ZONES = ['Europe/Monaco', 'America/New_York', 'Australia/Sydney', 'Asia/Dubai', 'UTC'];

describe('what an outside event in a linked calendar blocks', () => {
  it('blocks the period of a confirmed or tentative event', () => {
    expect(decideOutsideEvent(timed(10, 12), 'UTC', NOW)).toEqual({
      kind: 'block',
      period: { start: at(10), end: at(12) },
    });
    expect(decideOutsideEvent({ ...timed(10, 12), status: 'tentative' }, 'UTC', NOW).kind).toBe('block');
  });

  it('ignores free (transparent), declined, cancelled, empty, unreadable and past events', () => {
    expect(decideOutsideEvent({ ...timed(10, 12), transparency: 'transparent' }, 'UTC', NOW)).toEqual({
      kind: 'none',
      reason: 'free',
    });
    const declined = {
      ...timed(10, 12),
      attendees: [
        { self: false, responseStatus: 'accepted' },
        { self: true, responseStatus: 'declined' },
      ],
    };
    expect(decideOutsideEvent(declined, 'UTC', NOW)).toEqual({ kind: 'none', reason: 'declined' });
    const accepted = { ...timed(10, 12), attendees: [{ self: true, responseStatus: 'accepted' }] };
    expect(decideOutsideEvent(accepted, 'UTC', NOW).kind).toBe('block');
    expect(decideOutsideEvent({ ...timed(10, 12), status: 'cancelled' }, 'UTC', NOW).kind).toBe('none');
    expect(decideOutsideEvent(timed(12, 12), 'UTC', NOW)).toEqual({ kind: 'none', reason: 'empty' });
    expect(decideOutsideEvent(timed(12, 10), 'UTC', NOW)).toEqual({ kind: 'none', reason: 'empty' });
    expect(decideOutsideEvent({ start: { dateTime: 'soon' }, end: {} }, 'UTC', NOW)).toEqual({
      kind: 'none',
      reason: 'unreadable',
    });
    expect(decideOutsideEvent(timed(-5, -1), 'UTC', NOW)).toEqual({ kind: 'none', reason: 'past' });
    expect(decideOutsideEvent(timed(-5, 1), 'UTC', NOW).kind).toBe('block');
  });

  it('blocks whole local days of the item for an all-day event, 23 or 25 hours on the days clocks change', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 1, max: 14 }),
        (zone, offset, days) => {
          const first = DateTime.fromISO('2037-01-02', { zone }).plus({ days: offset });
          const last = first.plus({ days });
          const decision = decideOutsideEvent(
            { start: { date: first.toISODate() }, end: { date: last.toISODate() } },
            zone,
            NOW,
          );
          expect(decision.kind).toBe('block');
          if (decision.kind !== 'block') return;
          const start = DateTime.fromJSDate(decision.period.start, { zone });
          const end = DateTime.fromJSDate(decision.period.end, { zone });
          expect(start.toISODate()).toBe(first.toISODate());
          expect(end.toISODate()).toBe(last.toISODate());
          expect([start.hour, start.minute, end.hour, end.minute]).toEqual([0, 0, 0, 0]);
          // Exactly `days` local days, each of them as long as the zone makes it.
          let expected = 0;
          for (let d = start; d < end; d = d.plus({ days: 1 })) {
            expected += d.plus({ days: 1 }).toMillis() - d.toMillis();
          }
          expect(decision.period.end.getTime() - decision.period.start.getTime()).toBe(expected);
        },
      ),
    );
  });

  it('takes the 23-hour spring-forward day and the 25-hour autumn day in Monaco', () => {
    const spring = decideOutsideEvent(
      { start: { date: '2037-03-29' }, end: { date: '2037-03-30' } },
      'Europe/Monaco',
      NOW,
    );
    expect(spring).toEqual({
      kind: 'block',
      period: { start: new Date('2037-03-28T23:00:00Z'), end: new Date('2037-03-29T22:00:00Z') },
    });
    const autumn = decideOutsideEvent(
      { start: { date: '2037-10-25' }, end: { date: '2037-10-26' } },
      'Europe/Monaco',
      NOW,
    );
    expect(autumn).toEqual({
      kind: 'block',
      period: { start: new Date('2037-10-24T22:00:00Z'), end: new Date('2037-10-25T23:00:00Z') },
    });
  });
});

describe('reports of outside events to availability', () => {
  it('reports a new or changed period, a withdrawal once, and nothing for an unchanged event', () => {
    const p: Period = { start: at(1), end: at(2) };
    const first = nextReport(undefined, { kind: 'block', period: p });
    expect(first).toEqual({ kind: 'requested', period: p, revision: 1 });
    const state = reportedAfter(undefined, first);
    expect(nextReport(state, { kind: 'block', period: { start: at(1), end: at(2) } })).toBeNull();
    const grown = nextReport(state, { kind: 'block', period: { start: at(1), end: at(3) } });
    expect(grown).toEqual({ kind: 'requested', period: { start: at(1), end: at(3) }, revision: 2 });
    const withdrawn = nextReport(state, { kind: 'none', reason: 'cancelled' });
    expect(withdrawn).toEqual({ kind: 'withdrawn', revision: 2 });
    const after = reportedAfter(state, withdrawn);
    expect(nextReport(after, { kind: 'none', reason: 'cancelled' })).toBeNull();
    expect(nextReport(undefined, { kind: 'none', reason: 'free' })).toBeNull();
  });

  type Op =
    | { op: 'create'; key: number; start: number; len: number; free: boolean }
    | { op: 'move'; key: number; start: number; len: number }
    | { op: 'free'; key: number; free: boolean }
    | { op: 'delete'; key: number }
    | { op: 'pull' };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      op: fc.constant('create' as const),
      key: fc.integer({ min: 0, max: 5 }),
      start: fc.integer({ min: -10, max: 200 }),
      len: fc.integer({ min: 0, max: 48 }),
      free: fc.boolean(),
    }),
    fc.record({
      op: fc.constant('move' as const),
      key: fc.integer({ min: 0, max: 5 }),
      start: fc.integer({ min: -10, max: 200 }),
      len: fc.integer({ min: 0, max: 48 }),
    }),
    fc.record({ op: fc.constant('free' as const), key: fc.integer({ min: 0, max: 5 }), free: fc.boolean() }),
    fc.record({ op: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 5 }) }),
    fc.constant({ op: 'pull' as const }),
  );

  it('any sequence of outside-event creates, moves and deletes leaves exactly the blackouts of the events that still exist, however the reports are duplicated or reordered', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.integer(), (ops, seed) => {
        // Google's side: events by id, and which changed since the last read (the sync token).
        const google = new Map<string, OutsideEvent>();
        const changed = new Set<string>();
        // Calendar's side: what it last reported per event; the reports it sent.
        const reported = new Map<string, ReportedState>();
        const sent: { key: string; report: Report }[] = [];
        const pull = () => {
          for (const key of changed) {
            const decision = decideOutsideEvent(google.get(key)!, 'Europe/Monaco', NOW);
            const report = nextReport(reported.get(key), decision);
            reported.set(key, reportedAfter(reported.get(key), report));
            if (report) sent.push({ key, report });
          }
          changed.clear();
        };
        for (const o of ops) {
          const key = 'key' in o ? `ev${o.key}` : '';
          const existing = google.get(key);
          if (o.op === 'create' && (!existing || existing.status === 'cancelled')) {
            google.set(key, {
              ...timed(o.start, o.start + o.len),
              transparency: o.free ? 'transparent' : null,
            });
          } else if (o.op === 'move' && existing && existing.status !== 'cancelled') {
            google.set(key, { ...existing, ...timed(o.start, o.start + o.len) });
          } else if (o.op === 'free' && existing && existing.status !== 'cancelled') {
            google.set(key, { ...existing, transparency: o.free ? 'transparent' : 'opaque' });
          } else if (o.op === 'delete' && existing) {
            google.set(key, { ...existing, status: 'cancelled' });
          } else if (o.op === 'pull') {
            pull();
            continue;
          } else continue;
          changed.add(key);
        }
        pull();

        // Availability's side: every report delivered at least once, in any order.
        let state = seed;
        const rand = () => {
          state = (state * 1103515245 + 12345) & 0x7fffffff;
          return state;
        };
        const deliveries = [...sent, ...sent.filter(() => rand() % 3 === 0)];
        for (let i = deliveries.length - 1; i > 0; i--) {
          const j = rand() % (i + 1);
          [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
        }
        const blocked = new Map<string, { period: Period | null; revision: number }>();
        for (const d of deliveries) applyReport(blocked, d.key, d.report);

        const expected = new Map<string, Period>();
        for (const [key, event] of google) {
          const decision = decideOutsideEvent(event, 'Europe/Monaco', NOW);
          if (decision.kind === 'block') expected.set(key, decision.period);
        }
        const actual = new Map(
          [...blocked].filter(([, b]) => b.period !== null).map(([k, b]) => [k, b.period!]),
        );
        expect(actual).toEqual(expected);
      }),
    );
  });
});
