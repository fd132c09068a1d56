import fc from 'fast-check';
import { BOOKING_STATUSES } from '@midas/contracts';
import { blocksExternalEvents } from '../../src/domain/entry';
import { decideExternalEvent, overlaps } from '../../src/domain/external-event';

const NOW = new Date('2037-01-01T00:00:00Z');
const hour = 3600_000;
const at = (h: number) => new Date(NOW.getTime() + h * hour);
const period = fc
  .tuple(fc.integer({ min: -48, max: 480 }), fc.integer({ min: 1, max: 72 }))
  .map(([s, len]) => ({ start: at(s), end: at(s + len) }));
const entryArb = fc.record({
  kind: fc.constantFrom('booking' as const, 'blackout' as const),
  ref: fc.uuid(),
  status: fc.constantFrom(...BOOKING_STATUSES, 'active', 'deleted'),
  period,
});

describe('judging an outside event in a linked calendar', () => {
  it('is a conflict exactly when it overlaps a current booking, naming every such booking', () => {
    fc.assert(
      fc.property(period, fc.array(entryArb, { maxLength: 8 }), (event, raw) => {
        fc.pre(event.end.getTime() > NOW.getTime());
        const entries = raw.map((e) => ({ kind: e.kind, ref: e.ref, status: e.status, ...e.period }));
        const decision = decideExternalEvent({ ...event, cancelled: false }, entries, NOW);
        const clashing = entries
          .filter((e) => blocksExternalEvents(e) && overlaps(e, event))
          .map((e) => e.ref);
        if (clashing.length) expect(decision).toEqual({ kind: 'conflict', bookingIds: [...clashing].sort() });
        else expect(decision.kind).not.toBe('conflict');
      }),
    );
  });

  it('asks for a blackout on a free period unless a blackout already covers it', () => {
    const free = { start: at(10), end: at(12), cancelled: false };
    expect(decideExternalEvent(free, [], NOW)).toEqual({ kind: 'blackout_requested' });
    const cancelledBooking = {
      kind: 'booking' as const,
      ref: 'a',
      status: 'cancelled',
      start: at(9),
      end: at(13),
    };
    expect(decideExternalEvent(free, [cancelledBooking], NOW)).toEqual({ kind: 'blackout_requested' });
    const blackout = { kind: 'blackout' as const, ref: 'b', status: 'active', start: at(8), end: at(14) };
    expect(decideExternalEvent(free, [blackout], NOW)).toEqual({ kind: 'ignore', reason: 'already_blocked' });
    expect(decideExternalEvent(free, [{ ...blackout, status: 'deleted' }], NOW).kind).toBe(
      'blackout_requested',
    );
    // Touching end to start is not an overlap.
    const before = { kind: 'booking' as const, ref: 'c', status: 'confirmed', start: at(8), end: at(10) };
    expect(decideExternalEvent(free, [before], NOW)).toEqual({ kind: 'blackout_requested' });
  });

  it('ignores cancelled, past and empty events whatever the bookings', () => {
    fc.assert(
      fc.property(period, fc.array(entryArb, { maxLength: 4 }), (event, raw) => {
        const entries = raw.map((e) => ({ kind: e.kind, ref: e.ref, status: e.status, ...e.period }));
        expect(decideExternalEvent({ ...event, cancelled: true }, entries, NOW).kind).toBe('ignore');
        expect(
          decideExternalEvent({ start: event.end, end: event.start, cancelled: false }, entries, NOW),
        ).toEqual({
          kind: 'ignore',
          reason: 'empty',
        });
        const past = { start: at(-10), end: at(-1), cancelled: false };
        expect(decideExternalEvent(past, entries, NOW)).toEqual({ kind: 'ignore', reason: 'past' });
      }),
    );
  });
});
