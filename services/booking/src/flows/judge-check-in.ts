/** Turns the check-in window's verdict into the HTTP-facing error: 422, with when check-in opens. */
import { RuleViolation } from '@midas/contracts';
import type { BookingRow } from '../db/schema';
import { CHECK_IN_OPENS_MINUTES_BEFORE, judgeCheckIn } from '../domain/attendance';

export function assertCheckInOpen(booking: BookingRow, now: Date): void {
  const verdict = judgeCheckIn({ start: booking.startAt, end: booking.endAt, now });
  if (verdict.ok) return;
  if (verdict.reason === 'too_early') {
    throw new RuleViolation(
      'check_in_not_open',
      `Check-in opens ${CHECK_IN_OPENS_MINUTES_BEFORE} minutes before the start, at ${verdict.opensAt.toISOString()}`,
      { opensAt: verdict.opensAt.toISOString() },
    );
  }
  throw new RuleViolation('check_in_closed', 'The booking has ended; it can no longer be checked in');
}
