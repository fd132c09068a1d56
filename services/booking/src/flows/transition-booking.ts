/**
 * The one way a booking changes status: the lifecycle rule is assumed checked by the caller;
 * this does the compare-and-swap, the history row, the outbox event and the bookkeeping tied
 * to the statuses (assignment load, completed bookings, redeemed points given back), all in the
 * caller's transaction.
 */
import { Conflict, type BookingStatus } from '@midas/contracts';
import type { Tx } from '@midas/db';
import { enqueueEvent } from '@midas/messaging';
import { swapStatus } from '../db/bookings';
import { closeAssignment } from '../db/concierges';
import { recordStatus } from '../db/status-history';
import type { BookingRow } from '../db/schema';
import { holdsAssignment } from '../domain';
import { summaryOf } from '../events/publish/booking-summary';
import { conciergeContactOf } from '../events/publish/concierge-contact';
import type { Actor } from './context';
import { restoreRedeemedPoints } from './redeem-points';
import { recordCompletedBooking } from './update-customer-standing';

export interface TransitionRequest {
  booking: BookingRow;
  to: BookingStatus;
  actor: Actor;
  reason?: string;
  details?: Record<string, unknown>;
  refundAmount?: number;
  conciergeId?: string;
}

/** Returns the updated row, or undefined when the booking was no longer in `booking.status`. */
export async function tryTransition(tx: Tx, req: TransitionRequest): Promise<BookingRow | undefined> {
  const from = req.booking.status;
  const updated = await swapStatus(
    tx,
    req.booking.id,
    from,
    req.to,
    req.conciergeId ? { conciergeId: req.conciergeId } : {},
  );
  if (!updated) return undefined;
  if (holdsAssignment(from) && !holdsAssignment(req.to)) await closeAssignment(tx, updated.id);
  // Booking history counts toward the customer's loyalty tier, as spend does.
  if (req.to === 'completed') await recordCompletedBooking(tx, updated);
  // Points redeemed on a booking that will not take place go back to the customer, once.
  const pointsRestored = await restoreRedeemedPoints(tx, updated.id, req.to);
  await recordStatus(tx, {
    bookingId: updated.id,
    from,
    to: req.to,
    actor: req.actor,
    reason: req.reason,
    details: pointsRestored > 0 ? { ...req.details, pointsRestored } : req.details,
  });
  await enqueueEvent(tx, 'booking', {
    type: 'booking.status_changed',
    data: {
      ...summaryOf(updated),
      from,
      to: req.to,
      actor: req.actor.id ? `${req.actor.role}:${req.actor.id}` : req.actor.role,
      reason: req.reason,
      refundAmount: req.refundAmount,
      concierge: await conciergeContactOf(tx, updated.conciergeId),
    },
  });
  return updated;
}

/** As tryTransition, but a lost race is a 409 for the caller. */
export async function transition(tx: Tx, req: TransitionRequest): Promise<BookingRow> {
  const updated = await tryTransition(tx, req);
  if (!updated) {
    throw new Conflict(
      'status_changed',
      `The booking is no longer ${req.booking.status}; reload it and try again`,
    );
  }
  return updated;
}
