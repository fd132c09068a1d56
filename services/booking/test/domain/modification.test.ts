import fc from 'fast-check';
import { DateTime } from 'luxon';
import { BOOKING_STATUSES } from '@midas/contracts';
import {
  MODIFIABLE_STATUSES,
  judgeModification,
  pendingChangeExpiry,
  pendingSlotFor,
  shiftedEnd,
} from '../../src/domain';

const zones = fc.constantFrom('Europe/Paris', 'America/New_York', 'Australia/Sydney', 'Asia/Dubai', 'UTC');

describe('modification rules', () => {
  it('allows changes only to paid bookings that have not started, with the end after the start', () => {
    const now = new Date('2026-03-01T10:00:00Z');
    const later = new Date('2026-03-10T10:00:00Z');
    fc.assert(
      fc.property(
        fc.constantFrom(...BOOKING_STATUSES),
        fc.integer({ min: -100, max: 100 }),
        (status, hours) => {
          const currentStart = new Date(now.getTime() + hours * 3_600_000);
          const verdict = judgeModification({
            status,
            currentStart,
            now,
            newStart: later,
            newEnd: new Date(later.getTime() + 3_600_000),
          });
          expect(verdict.ok).toBe(MODIFIABLE_STATUSES.includes(status) && hours > 0);
        },
      ),
    );
    expect(
      judgeModification({ status: 'confirmed', currentStart: later, now, newStart: later, newEnd: later }),
    ).toEqual({ ok: false, reason: 'end_not_after_start' });
  });

  it('keeps the local wall-clock end of a whole-night stay when its start moves across a DST change', () => {
    // Paris springs forward on 2026-03-29: three nights from 15:00 on the 27th span 71 real hours.
    const start = DateTime.fromISO('2026-03-20T15:00', { zone: 'Europe/Paris' });
    const end = start.plus({ days: 3 }).set({ hour: 11 });
    const newStart = DateTime.fromISO('2026-03-27T15:00', { zone: 'Europe/Paris' });
    const newEnd = DateTime.fromJSDate(
      shiftedEnd(start.toJSDate(), end.toJSDate(), newStart.toJSDate(), 'Europe/Paris'),
      {
        zone: 'Europe/Paris',
      },
    );
    expect(newEnd.toISO()).toBe('2026-03-30T11:00:00.000+02:00');
    expect(newEnd.diff(newStart, 'hours').hours).toBe(67);
  });

  it('keeps the calendar length in the item zone for any move, DST or not', () => {
    fc.assert(
      fc.property(
        zones,
        fc.date({
          min: new Date('2025-01-01T00:00:00Z'),
          max: new Date('2028-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: -60, max: 400 }),
        (zone, rawStart, nights, shiftDays) => {
          // Start on a wall-clock hour that exists on every day (no DST gap sits at 15:00 in these zones).
          const start = DateTime.fromJSDate(rawStart, { zone }).set({
            hour: 15,
            minute: 0,
            second: 0,
            millisecond: 0,
          });
          const end = start.plus({ days: nights });
          const newStart = start.plus({ days: shiftDays });
          const newEnd = DateTime.fromJSDate(
            shiftedEnd(start.toJSDate(), end.toJSDate(), newStart.toJSDate(), zone),
            { zone },
          );
          expect(newEnd.toFormat('HH:mm')).toBe('15:00');
          expect(Math.round(newEnd.diff(newStart, 'days').days)).toBe(nights);
          expect(newEnd.toMillis()).toBeGreaterThan(newStart.toMillis());
        },
      ),
    );
  });
});

describe('where a change waiting for its payment holds its slot', () => {
  const HOUR = 3_600_000;
  const base = new Date('2026-03-29T00:00:00Z').getTime();
  const period = fc
    .tuple(fc.integer({ min: 0, max: 24 * 60 }), fc.integer({ min: 1, max: 24 * 14 }))
    .map(([startH, lengthH]) => ({
      start: new Date(base + startH * HOUR),
      end: new Date(base + (startH + lengthH) * HOUR),
    }));
  const buffer = fc.integer({ min: 0, max: 24 * 60 });

  it('holds apart only dates clear of the booking and its buffer, and otherwise stretches over both periods without a gap', () => {
    fc.assert(
      fc.property(period, period, buffer, (current, next, bufferMinutes) => {
        const plan = pendingSlotFor(current, next, bufferMinutes);
        const b = bufferMinutes * 60_000;
        const clear =
          next.start.getTime() >= current.end.getTime() + b ||
          current.start.getTime() >= next.end.getTime() + b;
        const same =
          next.start.getTime() === current.start.getTime() && next.end.getTime() === current.end.getTime();
        if (same) return expect(plan.kind).toBe('none');
        if (clear) return expect(plan.kind).toBe('hold');
        expect(plan.kind).toBe('span');
        if (plan.kind !== 'span') return;
        // Covers both periods...
        expect(plan.start.getTime()).toBeLessThanOrEqual(
          Math.min(current.start.getTime(), next.start.getTime()),
        );
        expect(plan.end.getTime()).toBeGreaterThanOrEqual(
          Math.max(current.end.getTime(), next.end.getTime()),
        );
        // ...and blocks no more than the two periods and the buffer between them.
        const length = plan.end.getTime() - plan.start.getTime();
        expect(length).toBeLessThanOrEqual(
          current.end.getTime() - current.start.getTime() + (next.end.getTime() - next.start.getTime()) + b,
        );
      }),
    );
  });

  it('stretches a stay extended by a night over the old and new nights, across a DST change', () => {
    // Europe/Paris moves to summer time on 2026-03-29.
    const current = { start: new Date('2026-03-27T15:00:00Z'), end: new Date('2026-03-29T09:00:00Z') };
    const next = { start: current.start, end: new Date('2026-03-30T09:00:00Z') };
    expect(pendingSlotFor(current, next, 120)).toEqual({ kind: 'span', start: current.start, end: next.end });
    const later = { start: new Date('2026-04-10T15:00:00Z'), end: new Date('2026-04-12T09:00:00Z') };
    expect(pendingSlotFor(current, later, 120)).toEqual({ kind: 'hold' });
  });

  it('lapses a waiting change its time-to-live after it was asked for', () => {
    const now = new Date('2026-03-29T00:30:00Z');
    expect(pendingChangeExpiry(now, 900).toISOString()).toBe('2026-03-29T00:45:00.000Z');
  });
});
