import fc from 'fast-check';
import {
  planOutsideBlocks,
  segmentChanges,
  subtract,
  unionOf,
  type OtherOccupation,
  type OutsideEventPeriod,
} from '../../src/domain/outside-blocks';
import { overlaps, type Period } from '../../src/domain/period';

const BASE = Date.UTC(2037, 6, 1);
const H = 3600_000;
const at = (h: number) => new Date(BASE + h * H);
const periodArb = fc
  .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 30 }))
  .map(([s, len]): Period => ({ start: at(s), end: at(s + len) }));
const eventsArb = fc
  .array(periodArb, { maxLength: 8 })
  .map((ps) => ps.map((period, i): OutsideEventPeriod => ({ source: `google:cal/ev${i}`, period })));
const othersArb = fc
  .array(
    fc.record({
      kind: fc.constantFrom('hold' as const, 'booking' as const, 'blackout' as const),
      guest: fc.boolean(),
      blocked: periodArb,
    }),
    { maxLength: 6 },
  )
  .map((rows) => {
    // Active allocations never overlap one another: keep those the constraint would have let in.
    const kept: OtherOccupation[] = [];
    rows.forEach((r, i) => {
      if (kept.some((k) => overlaps(k.blocked, r.blocked))) return;
      const ref = r.kind === 'blackout' || (r.kind === 'hold' && r.guest) ? null : `b${i}`;
      kept.push({ id: `row${i}`, kind: r.kind, ref, blocked: r.blocked });
    });
    return kept;
  });
const covered = (ps: Period[], h: number) => ps.some((p) => p.start <= at(h) && at(h) < p.end);

describe('outside events of an item as its blackouts', () => {
  it('blocks exactly the time of events without bookings in the way, less staff blackouts, in disjoint segments', () => {
    fc.assert(
      fc.property(eventsArb, othersArb, (events, others) => {
        const plan = planOutsideBlocks(events, others);
        plan.segments.forEach((s, i) => {
          expect(s.end.getTime()).toBeGreaterThan(s.start.getTime());
          const next = plan.segments[i + 1];
          if (next) expect(next.start.getTime()).toBeGreaterThan(s.end.getTime() - 1);
        });
        const blocking = events.filter((e) => !plan.conflicts.has(e.source)).map((e) => e.period);
        const staff = others.filter((o) => o.kind === 'blackout').map((o) => o.blocked);
        for (let half = 0; half < 2 * 132; half++) {
          const h = half / 2;
          expect(covered(plan.segments, h)).toBe(covered(blocking, h) && !covered(staff, h));
        }
      }),
    );
  });

  it('is a conflict exactly when a booking (or a booking’s hold) is in the way, naming those bookings', () => {
    fc.assert(
      fc.property(eventsArb, othersArb, (events, others) => {
        const plan = planOutsideBlocks(events, others);
        for (const e of events) {
          const refs = others
            .filter((o) => o.kind !== 'blackout' && o.ref && overlaps(o.blocked, e.period))
            .map((o) => o.ref!)
            .sort();
          if (refs.length) expect(plan.conflicts.get(e.source)).toEqual(refs);
          else expect(plan.conflicts.has(e.source)).toBe(false);
        }
      }),
    );
  });

  it('never overlaps what stays in the allocations table, so the constraint accepts every segment', () => {
    fc.assert(
      fc.property(eventsArb, othersArb, (events, others) => {
        const plan = planOutsideBlocks(events, others);
        const staying = others.filter((o) => !plan.releasedHolds.includes(o.id));
        for (const s of plan.segments) for (const o of staying) expect(overlaps(s, o.blocked)).toBe(false);
        for (const id of plan.releasedHolds) {
          const row = others.find((o) => o.id === id)!;
          expect(row).toMatchObject({ kind: 'hold', ref: null });
        }
      }),
    );
  });

  it('changes only the segments that differ: what stays plus what is added is the plan', () => {
    fc.assert(
      fc.property(fc.array(periodArb, { maxLength: 6 }), fc.array(periodArb, { maxLength: 6 }), (a, b) => {
        const current = unionOf(a).map((period, i) => ({ id: `s${i}`, period }));
        const planned = unionOf(b);
        const changes = segmentChanges(current, planned);
        const after = [
          ...current.filter((c) => !changes.remove.includes(c.id)).map((c) => c.period),
          ...changes.add,
        ];
        const key = (p: Period) => `${p.start.getTime()}-${p.end.getTime()}`;
        expect(after.map(key).sort()).toEqual(planned.map(key).sort());
      }),
    );
  });

  it('joins touching and overlapping outside events into one blackout and cuts around a staff blackout', () => {
    expect(
      unionOf([
        { start: at(0), end: at(2) },
        { start: at(2), end: at(3) },
        { start: at(1), end: at(4) },
      ]),
    ).toEqual([{ start: at(0), end: at(4) }]);
    expect(
      subtract(
        [{ start: at(0), end: at(10) }],
        [
          { start: at(2), end: at(3) },
          { start: at(9), end: at(12) },
        ],
      ),
    ).toEqual([
      { start: at(0), end: at(2) },
      { start: at(3), end: at(9) },
    ]);
  });
});
