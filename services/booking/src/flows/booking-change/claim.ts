/**
 * Step 1 of a change, claim the booking: in one short transaction the booking is locked, checked
 * (no change waiting for payment, the new dates allowed by the lifecycle rules) and claimed, so no
 * second change runs its remote work beside this one. Undone by releasing the claim.
 */
import { Conflict, RuleViolation } from '@midas/contracts';
import { claimForChange, releaseChangeClaim } from '../../db/bookings';
import { waitingChangeOf } from '../../db/pending-changes';
import type { BookingRow } from '../../db/schema';
import { judgeModification, shiftedEnd } from '../../domain';
import type { SagaStep } from '../../domain/saga';
import { findVisibleBooking } from '../find-visible-booking';
import type { ChangeState, Terms } from './state';

/** Longer than the quote, the slot and the provider's payment together may take. */
const CLAIM_SECONDS = 60;

interface Claimed {
  booking: BookingRow;
  terms: Terms;
}

export const claimBooking: SagaStep<ChangeState, Claimed> = {
  name: 'claim the booking',
  run: ({ deps, caller, bookingId, body }) =>
    deps.db.transaction(async (tx) => {
      const { booking } = await findVisibleBooking(tx, bookingId, caller, { lock: true });
      if (await waitingChangeOf(tx, booking.id)) {
        throw new Conflict(
          'change_payment_in_progress',
          'Another change of this booking is waiting for payment',
        );
      }
      const terms = newTerms(booking, body);
      const verdict = judgeModification({
        status: booking.status,
        currentStart: booking.startAt,
        now: deps.now(),
        newStart: terms.start,
        newEnd: terms.end,
      });
      if (!verdict.ok) {
        if (verdict.reason === 'end_not_after_start')
          throw new RuleViolation('end_before_start', 'The end must be after the start');
        throw new Conflict(
          verdict.reason,
          verdict.reason === 'already_started'
            ? 'The booking has started and can no longer change'
            : `A booking that is ${booking.status} cannot change`,
        );
      }
      const claimed = await claimForChange(tx, booking.id, CLAIM_SECONDS);
      if (!claimed) {
        throw new Conflict(
          'change_in_progress',
          'Another change of this booking is being made; try again in a moment',
        );
      }
      return { booking: claimed, terms };
    }),
  compensate: ({ booking }, { deps }) => releaseChangeClaim(deps.db, booking.id),
  merge: (state, claimed) => ({ ...state, ...claimed }),
};

/** The dates and add-ons asked for; a new start alone keeps the stay's length in the item's zone. */
function newTerms(booking: BookingRow, body: ChangeState['body']): Terms {
  const start = body.start ? new Date(body.start) : booking.startAt;
  const end = body.end
    ? new Date(body.end)
    : body.start
      ? shiftedEnd(booking.startAt, booking.endAt, start, booking.timezone)
      : booking.endAt;
  return { start, end, addOns: body.addOns ?? booking.addOns };
}
