/**
 * POST /v1/bookings/:id/assign (admin): gives a booking a concierge by hand. A confirmed booking
 * is assigned (`confirmed -> concierge_assigned`); an assigned one, not yet over, is handed to
 * another concierge, its old assignment closed. Without a concierge id the automatic rule
 * chooses (excluding the current one). The admin's reason is kept in the status history either
 * way. A chosen concierge must be active and have room: capacity is a promise to the concierge,
 * which an admin frees by raising it rather than by overriding it here.
 */
import { Conflict, NotFound } from '@midas/contracts';
import { enqueueEvent } from '@midas/messaging';
import { lockBooking, setConcierge } from '../db/bookings';
import {
  availableConcierges,
  closeAssignment,
  findConcierge,
  openAssignment,
  takeCapacity,
} from '../db/concierges';
import { recordStatus } from '../db/status-history';
import type { BookingRow } from '../db/schema';
import { chooseConcierge, holdsAssignment } from '../domain';
import { summaryOf } from '../events/publish/booking-summary';
import { conciergeContactOf } from '../events/publish/concierge-contact';
import { actorOf, type Caller, type FlowContext } from './context';
import { transition } from './transition-booking';

export interface AssignRequest {
  conciergeId?: string;
  reason?: string;
}

export async function assignByHand(
  deps: Pick<FlowContext, 'db' | 'assignments'>,
  caller: Caller,
  bookingId: string,
  body: AssignRequest,
): Promise<BookingRow> {
  const actor = actorOf(caller);
  const outcome = await deps.db.transaction(async (tx) => {
    const booking = await lockBooking(tx, bookingId);
    if (!booking) throw new NotFound('booking');
    if (booking.status !== 'confirmed' && !holdsAssignment(booking.status)) {
      throw new Conflict('not_assignable', `A booking that is ${booking.status} has no concierge to assign`, {
        bookingStatus: booking.status,
      });
    }
    const target = await chooseTarget(tx, booking, body.conciergeId);
    if (target.conciergeId === booking.conciergeId) return { booking, freed: false };
    if (!(await takeCapacity(tx, target.conciergeId))) {
      throw new Conflict(
        'concierge_full',
        `Concierge ${target.conciergeId} has no room for another booking`,
        {
          conciergeId: target.conciergeId,
        },
      );
    }
    const reason = body.reason ?? (body.conciergeId ? 'assigned_by_admin' : target.rule);
    const details = { conciergeId: target.conciergeId, rule: target.rule, byHand: true };
    if (booking.status === 'confirmed') {
      const assigned = await transition(tx, {
        booking,
        to: 'concierge_assigned',
        actor,
        reason,
        details,
        conciergeId: target.conciergeId,
      });
      await openAssignment(tx, booking.id, target.conciergeId, reason);
      return { booking: assigned, freed: false };
    }
    await closeAssignment(tx, booking.id);
    await openAssignment(tx, booking.id, target.conciergeId, reason);
    const updated = (await setConcierge(tx, booking.id, target.conciergeId))!;
    await recordStatus(tx, {
      bookingId: booking.id,
      from: booking.status,
      to: booking.status,
      actor,
      reason,
      details: { ...details, previousConciergeId: booking.conciergeId },
    });
    await enqueueEvent(tx, 'booking', {
      type: 'booking.reassigned',
      data: {
        ...summaryOf(updated),
        previousConciergeId: booking.conciergeId ?? '',
        actor: actor.id ? `${actor.role}:${actor.id}` : actor.role,
        reason,
        concierge: await conciergeContactOf(tx, updated.conciergeId),
        previousConcierge: await conciergeContactOf(tx, booking.conciergeId),
      },
    });
    return { booking: updated, freed: true };
  });
  // The previous concierge has room again: a booking waiting for one may take it.
  if (outcome.freed) await deps.assignments?.nudge('assignment_freed');
  return outcome.booking;
}

async function chooseTarget(
  tx: Parameters<typeof lockBooking>[0],
  booking: BookingRow,
  conciergeId: string | undefined,
): Promise<{ conciergeId: string; rule: string }> {
  if (conciergeId) {
    const concierge = await findConcierge(tx, conciergeId);
    if (!concierge) throw new NotFound('concierge');
    if (!concierge.active)
      throw new Conflict('concierge_inactive', `Concierge ${conciergeId} is not active`, { conciergeId });
    return { conciergeId, rule: 'chosen_by_admin' };
  }
  const candidates = (await availableConcierges(tx)).filter((c) => c.id !== booking.conciergeId);
  const choice = chooseConcierge(booking.location, candidates);
  if (!choice) throw new Conflict('no_concierge_available', 'No active concierge has room for this booking');
  return { conciergeId: choice.conciergeId, rule: choice.reason };
}
