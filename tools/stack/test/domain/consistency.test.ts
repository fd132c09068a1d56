import fc from 'fast-check';
import {
  compareAllocations,
  compareBookings,
  compareCalendar,
  shownStatus,
  type AllocationFact,
  type BookingFact,
  type CalendarEntryFact,
} from '../../src/domain/consistency';

const NOW = new Date('2027-03-01T12:00:00Z');
const H = 3_600_000;
const at = (hours: number) => new Date(+NOW + hours * H);
const opts = { now: NOW, expiryGraceMs: 10 * 60_000 };
const paid = [{ kind: 'charge', status: 'succeeded', amount: 1000 }];

function booking(over: Partial<BookingFact> = {}): BookingFact {
  return {
    id: 'b1',
    status: 'confirmed',
    itemId: 'i1',
    start: at(24),
    end: at(48),
    holdExpiresAt: null,
    pendingChange: false,
    noShowAt: null,
    payments: paid,
    ...over,
  };
}
function slot(over: Partial<AllocationFact> = {}): AllocationFact {
  return {
    id: 'a1',
    itemId: 'i1',
    kind: 'booking',
    ref: 'b1',
    active: true,
    start: at(24),
    end: at(48),
    blockedEnd: at(50),
    expiresAt: null,
    ...over,
  };
}
function entry(over: Partial<CalendarEntryFact> = {}): CalendarEntryFact {
  return {
    ref: 'b1',
    status: 'confirmed',
    start: at(24),
    end: at(48),
    sequence: 1,
    syncedSequence: 1,
    syncState: 'synced',
    linked: true,
    ...over,
  };
}
const kinds = (d: { kind: string }[]) => d.map((x) => x.kind).sort();

describe('bookings against allocations and the ledger', () => {
  it('finds nothing when a paid, confirmed booking has its booked slot', () => {
    expect(compareBookings([booking()], [slot()], opts)).toEqual([]);
  });

  it('names a confirmed booking without a slot, with only a hold, and with other dates', () => {
    expect(kinds(compareBookings([booking()], [], opts))).toEqual(['slot_missing']);
    expect(kinds(compareBookings([booking()], [slot({ kind: 'hold', expiresAt: at(1) })], opts))).toEqual([
      'slot_not_booked',
    ]);
    expect(kinds(compareBookings([booking()], [slot({ start: at(25) })], opts))).toEqual(['slot_period']);
    // A change waiting for its difference may stretch the row: not a difference.
    expect(compareBookings([booking({ pendingChange: true })], [slot({ end: at(60) })], opts)).toEqual([]);
  });

  it('names a confirmed or completed booking without a settled charge', () => {
    const pending = [{ kind: 'charge', status: 'pending', amount: 1000 }];
    expect(kinds(compareBookings([booking({ payments: pending })], [slot()], opts))).toEqual([
      'unpaid_confirmed',
    ]);
    expect(kinds(compareBookings([booking({ status: 'completed', payments: [] })], [slot()], opts))).toEqual([
      'unpaid_confirmed',
    ]);
  });

  it('names a freed booking whose slot is still live, but not a no-show keeping what it used', () => {
    expect(kinds(compareBookings([booking({ status: 'cancelled' })], [slot()], opts))).toEqual([
      'freed_slot_held',
    ]);
    expect(compareBookings([booking({ status: 'cancelled' })], [slot({ active: false })], opts)).toEqual([]);
    const noShow = booking({ status: 'no_show', start: at(-5), end: at(5), noShowAt: at(-4) });
    expect(compareBookings([noShow], [slot({ start: at(-5), end: at(-4) })], opts)).toEqual([]);
    expect(kinds(compareBookings([noShow], [slot({ start: at(-5), end: at(5) })], opts))).toEqual([
      'freed_slot_held',
    ]);
  });

  it('names an unpaid booking whose live hold is gone, and one left unpaid past its hold and the grace', () => {
    const unpaid = booking({ status: 'pending_payment', holdExpiresAt: at(0.1), payments: [] });
    expect(kinds(compareBookings([unpaid], [], opts))).toEqual(['hold_missing']);
    expect(compareBookings([unpaid], [slot({ kind: 'hold', expiresAt: at(0.1) })], opts)).toEqual([]);
    const lapsed = booking({ status: 'pending_payment', holdExpiresAt: at(-1), payments: [] });
    expect(kinds(compareBookings([lapsed], [], opts))).toEqual(['unpaid_not_expired']);
    const justLapsed = booking({ status: 'pending_payment', holdExpiresAt: at(-0.1), payments: [] });
    expect(compareBookings([justLapsed], [], opts)).toEqual([]);
  });

  it('names money kept for an expired booking and a refunded one with a refund still pending', () => {
    expect(kinds(compareBookings([booking({ status: 'expired' })], [], opts))).toEqual([
      'expired_kept_money',
    ]);
    const back = [...paid, { kind: 'refund', status: 'pending', amount: 1000 }];
    expect(compareBookings([booking({ status: 'expired', payments: back })], [], opts)).toEqual([]);
    expect(kinds(compareBookings([booking({ status: 'refunded', payments: back })], [], opts))).toEqual([
      'refunded_with_refund_open',
    ]);
  });
});

describe('allocations', () => {
  const interval = fc
    .tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 48 }), fc.integer({ min: 0, max: 12 }))
    .map(([s, len, buffer]) => ({ s, e: s + len, b: s + len + buffer }));

  it('reports exactly the pairs of live rows of one item whose blocked ranges overlap', () => {
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 8 }), (spans) => {
        const rows = spans.map((x, i) =>
          slot({
            id: `a${i}`,
            ref: null,
            kind: 'blackout',
            start: at(x.s),
            end: at(x.e),
            blockedEnd: at(x.b),
          }),
        );
        let expected = 0;
        for (let i = 0; i < spans.length; i++)
          for (let j = i + 1; j < spans.length; j++)
            if (spans[i]!.s < spans[j]!.b && spans[j]!.s < spans[i]!.b) expected++;
        const found = compareAllocations(rows, new Map(), { now: NOW }).filter((d) => d.kind === 'overlap');
        expect(found).toHaveLength(expected);
      }),
    );
  });

  it('ignores inactive rows, lapsed holds and other items', () => {
    const rows = [
      slot({ id: 'a', ref: null, kind: 'blackout' }),
      slot({ id: 'b', active: false, ref: null }),
      slot({ id: 'c', kind: 'hold', ref: null, expiresAt: at(-1) }),
      slot({ id: 'd', itemId: 'i2', ref: null, kind: 'blackout' }),
    ];
    expect(compareAllocations(rows, new Map(), { now: NOW })).toEqual([]);
  });

  it('names a booked slot of an unknown, freed or unpaid booking', () => {
    const bookings = new Map([
      ['b1', { status: 'cancelled', noShowAt: null }],
      ['b2', { status: 'completed', noShowAt: null }],
    ]);
    const rows = [slot(), slot({ id: 'a2', ref: 'b2', start: at(100), end: at(101), blockedEnd: at(102) })];
    expect(kinds(compareAllocations(rows, bookings, { now: NOW }))).toEqual(['orphan_slot']);
    expect(kinds(compareAllocations([slot({ ref: 'nobody' })], bookings, { now: NOW }))).toEqual([
      'orphan_slot',
    ]);
  });
});

describe('calendar', () => {
  const one = (e?: CalendarEntryFact) => new Map(e ? [[e.ref, e]] : []);

  it('finds nothing when the entry agrees and was written', () => {
    expect(compareCalendar([booking()], one(entry()), { now: NOW })).toEqual([]);
  });

  it('names a missing entry, another shown status, other dates, and an entry not written to Google', () => {
    expect(kinds(compareCalendar([booking()], one(), { now: NOW }))).toEqual(['calendar_missing']);
    expect(kinds(compareCalendar([booking({ status: 'cancelled' })], one(entry()), { now: NOW }))).toEqual([
      'calendar_status',
    ]);
    expect(kinds(compareCalendar([booking()], one(entry({ end: at(50) })), { now: NOW }))).toEqual([
      'calendar_period',
    ]);
    expect(kinds(compareCalendar([booking()], one(entry({ sequence: 2 })), { now: NOW }))).toEqual([
      'calendar_not_written',
    ]);
    expect(compareCalendar([booking()], one(entry({ sequence: 2, linked: false })), { now: NOW })).toEqual(
      [],
    );
  });

  it('leaves bookings already over alone', () => {
    expect(compareCalendar([booking({ start: at(-10), end: at(-1) })], one(), { now: NOW })).toEqual([]);
  });

  it('compares shown statuses, so any two occupying statuses agree', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('confirmed', 'concierge_assigned', 'ready', 'in_progress'),
        fc.constantFrom('confirmed', 'concierge_assigned', 'ready', 'in_progress', 'completed'),
        (a, b) => shownStatus(a) === shownStatus(b),
      ),
    );
  });
});
