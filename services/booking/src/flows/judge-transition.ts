/** Turns the lifecycle's verdict into the HTTP-facing error: 409 for illegal or automatic-only, 403 for the wrong party. */
import { Conflict, Forbidden, type BookingStatus } from '@midas/contracts';
import type { BookingRow } from '../db/schema';
import { judgeTransition, type Party } from '../domain';

export function assertTransition(booking: BookingRow, to: BookingStatus, party: Party): void {
  const verdict = judgeTransition(booking.status, to, party);
  if (verdict.ok) return;
  if (verdict.reason === 'not_allowed')
    throw new Forbidden(`You may not move a booking from ${booking.status} to ${to}`);
  if (verdict.reason === 'automatic_only') {
    throw new Conflict(
      'automatic_transition',
      `${booking.status} -> ${to} happens on its own and cannot be requested`,
      {
        from: booking.status,
        to,
      },
    );
  }
  throw new Conflict('illegal_transition', `A booking cannot go from ${booking.status} to ${to}`, {
    from: booking.status,
    to,
  });
}
