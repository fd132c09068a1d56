import fc from 'fast-check';
import { BOOKING_STATUSES } from '@midas/contracts';
import {
  belongsInGoogle,
  blocksExternalEvents,
  bookingReference,
  feedStatus,
  nextSequence,
  SHOWN_STATUSES,
  type CalendarEntry,
} from '../../src/domain/entry';

const instant = fc.date({
  min: new Date('2030-01-01T00:00:00Z'),
  max: new Date('2040-01-01T00:00:00Z'),
  noInvalidDate: true,
});
const status = fc.constantFrom(...BOOKING_STATUSES);
const entry = fc.record({
  kind: fc.constant('booking' as const),
  status,
  start: instant,
  end: instant,
  summary: fc.string(),
  sequence: fc.nat({ max: 1000 }),
});

describe('calendar entries', () => {
  it('shows unpaid bookings as tentative, occupying ones as confirmed and freed ones as cancelled', () => {
    expect(feedStatus({ kind: 'booking', status: 'pending_payment' })).toBe('TENTATIVE');
    for (const s of ['confirmed', 'concierge_assigned', 'ready', 'in_progress', 'completed'])
      expect(feedStatus({ kind: 'booking', status: s })).toBe('CONFIRMED');
    for (const s of ['cancelled', 'refunded', 'expired', 'no_show'])
      expect(feedStatus({ kind: 'booking', status: s })).toBe('CANCELLED');
    expect(feedStatus({ kind: 'blackout', status: 'active' })).toBe('CONFIRMED');
    expect(feedStatus({ kind: 'blackout', status: 'deleted' })).toBe('CANCELLED');
  });

  it('writes to Google exactly what the feed shows as confirmed, and only current bookings conflict', () => {
    fc.assert(
      fc.property(status, fc.constantFrom('booking' as const, 'blackout' as const), (s, kind) => {
        expect(belongsInGoogle({ kind, status: s })).toBe(feedStatus({ kind, status: s }) === 'CONFIRMED');
        if (blocksExternalEvents({ kind, status: s }))
          expect(belongsInGoogle({ kind, status: s })).toBe(true);
      }),
    );
    expect(blocksExternalEvents({ kind: 'booking', status: 'completed' })).toBe(false);
    expect(blocksExternalEvents({ kind: 'blackout', status: 'active' })).toBe(false);
  });

  it('starts at SEQUENCE 0 and bumps it by one exactly when the period, summary or shown status changes', () => {
    fc.assert(
      fc.property(entry, entry, (prev, next) => {
        expect(nextSequence(undefined, next)).toBe(0);
        const seq = nextSequence(prev, next);
        const visible =
          prev.start.getTime() !== next.start.getTime() ||
          prev.end.getTime() !== next.end.getTime() ||
          prev.summary !== next.summary ||
          feedStatus(prev) !== feedStatus(next);
        expect(seq).toBe(visible ? prev.sequence + 1 : prev.sequence);
        expect(nextSequence(prev, { ...prev, start: new Date(prev.start) })).toBe(prev.sequence);
      }),
    );
  });

  it('keeps SEQUENCE when a booking moves between statuses the feed shows alike', () => {
    const prev: Omit<CalendarEntry, 'ref' | 'itemId' | 'itemType' | 'timezone'> = {
      kind: 'booking',
      status: 'confirmed',
      start: new Date('2037-01-01T10:00:00Z'),
      end: new Date('2037-01-01T12:00:00Z'),
      summary: 'x',
      sequence: 3,
    };
    expect(nextSequence(prev, { ...prev, status: 'concierge_assigned' })).toBe(3);
    expect(nextSequence(prev, { ...prev, status: 'cancelled' })).toBe(4);
  });

  it('derives a short booking reference from the id alone', () => {
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        expect(bookingReference(id)).toMatch(/^MD-[0-9A-F]{8}$/);
        expect(bookingReference(id)).toBe(bookingReference(id.toUpperCase()));
      }),
    );
  });

  it('binds every status change that changes what it shows: any other looks as the status it follows', () => {
    // The statuses each one can follow in the booking lifecycle (none moves to pending_payment).
    const follows: Record<string, string[]> = {
      pending_payment: [],
      concierge_assigned: ['confirmed'],
      ready: ['concierge_assigned'],
      in_progress: ['concierge_assigned', 'ready'],
      refunded: ['cancelled', 'no_show'],
    };
    for (const to of BOOKING_STATUSES) {
      if ((SHOWN_STATUSES as readonly string[]).includes(to)) continue;
      for (const from of follows[to]!) {
        expect(feedStatus({ kind: 'booking', status: to })).toBe(
          feedStatus({ kind: 'booking', status: from }),
        );
        expect(blocksExternalEvents({ kind: 'booking', status: to })).toBe(
          blocksExternalEvents({ kind: 'booking', status: from }),
        );
      }
    }
  });
});
