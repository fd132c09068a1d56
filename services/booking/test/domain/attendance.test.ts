import fc from 'fast-check';
import { BOOKING_STATUSES } from '@midas/contracts';
import {
  AWAITING_CHECK_IN,
  CHECK_IN_OPENS_MINUTES_BEFORE,
  judgeCheckIn,
  judgeCompletion,
  judgeNoShow,
} from '../../src/domain/attendance';

const T0 = Date.parse('2026-06-01T00:00:00Z');
const minutes = (n: number) => n * 60_000;

describe('attendance', () => {
  it('opens check-in an hour before the start and closes it at the end', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -3000, max: 3000 }),
        fc.integer({ min: 1, max: 3000 }),
        (offsetMinutes, lengthMinutes) => {
          const start = new Date(T0);
          const end = new Date(T0 + minutes(lengthMinutes));
          const now = new Date(T0 + minutes(offsetMinutes));
          const verdict = judgeCheckIn({ start, end, now });
          const open = offsetMinutes >= -CHECK_IN_OPENS_MINUTES_BEFORE && offsetMinutes < lengthMinutes;
          expect(verdict.ok).toBe(open);
          if (!verdict.ok && offsetMinutes < -CHECK_IN_OPENS_MINUTES_BEFORE) {
            expect(verdict).toEqual({
              ok: false,
              reason: 'too_early',
              opensAt: new Date(T0 - minutes(CHECK_IN_OPENS_MINUTES_BEFORE)),
            });
          }
        },
      ),
    );
  });

  it('marks a no-show only for a booking still awaiting its guest once start + grace has passed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BOOKING_STATUSES),
        fc.integer({ min: 0, max: 1440 }),
        fc.integer({ min: -3000, max: 3000 }),
        (status, grace, offsetMinutes) => {
          const verdict = judgeNoShow({
            status,
            start: new Date(T0),
            graceMinutes: grace,
            now: new Date(T0 + minutes(offsetMinutes)),
          });
          if (!AWAITING_CHECK_IN.includes(status)) expect(verdict).toEqual({ kind: 'skip' });
          else if (offsetMinutes >= grace) expect(verdict).toEqual({ kind: 'act' });
          else expect(verdict).toEqual({ kind: 'wait', until: new Date(T0 + minutes(grace)) });
        },
      ),
    );
  });

  it('completes on its own only a booking in progress whose end has passed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BOOKING_STATUSES),
        fc.integer({ min: -600, max: 600 }),
        (status, offset) => {
          const verdict = judgeCompletion({ status, end: new Date(T0), now: new Date(T0 + minutes(offset)) });
          if (status !== 'in_progress') expect(verdict).toEqual({ kind: 'skip' });
          else if (offset >= 0) expect(verdict).toEqual({ kind: 'act' });
          else expect(verdict).toEqual({ kind: 'wait', until: new Date(T0) });
        },
      ),
    );
  });
});
