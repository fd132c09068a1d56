/**
 * Check-in of a confirmed booking that never got a concierge (every concierge was full). The
 * guest is at the door, so it is not refused: an admin, or a concierge who may see the booking
 * (its location), checks the guest in and the booking first takes a concierge, keeping the
 * lifecycle `confirmed -> concierge_assigned -> in_progress` in one transaction. A concierge
 * checking in becomes the assigned one, even beyond their capacity (they are doing the work);
 * an admin's check-in assigns by the automatic rule, and is refused (409) when nobody has room.
 */
import { Conflict, Forbidden } from '@midas/contracts';
import { lockBooking } from '../db/bookings';
import { availableConcierges, findConcierge, openAssignment, takeCapacity } from '../db/concierges';
import type { BookingRow } from '../db/schema';
import { chooseConcierge, type Party } from '../domain';
import { actorOf, type Caller, type FlowContext } from './context';
import { transition } from './transition-booking';

export const ASSIGNED_AT_CHECK_IN = 'assigned_at_check_in';

export async function checkInUnassigned(
  deps: Pick<FlowContext, 'db'>,
  caller: Caller,
  booking: BookingRow,
  party: Party,
  reason: string | undefined,
): Promise<BookingRow> {
  if (party !== 'admin' && party !== 'concierge') throw new Forbidden('Only staff may check a guest in');
  const actor = actorOf(caller);
  return deps.db.transaction(async (tx) => {
    const current = (await lockBooking(tx, booking.id))!;
    if (current.status !== 'confirmed') {
      throw new Conflict('status_changed', `The booking is no longer confirmed; reload it and try again`);
    }
    let conciergeId: string | undefined;
    const own =
      party === 'concierge' && caller.principal.sub
        ? await findConcierge(tx, caller.principal.sub)
        : undefined;
    if (own?.active && (await takeCapacity(tx, own.id, { beyondCapacity: true }))) conciergeId = own.id;
    else {
      const choice = chooseConcierge(current.location, await availableConcierges(tx));
      if (choice && (await takeCapacity(tx, choice.conciergeId))) conciergeId = choice.conciergeId;
    }
    if (!conciergeId) {
      throw new Conflict(
        'no_concierge_available',
        'The booking has no concierge and none has room: assign one (POST /v1/bookings/:id/assign) first',
      );
    }
    const assigned = await transition(tx, {
      booking: current,
      to: 'concierge_assigned',
      actor,
      reason: ASSIGNED_AT_CHECK_IN,
      details: { conciergeId },
      conciergeId,
    });
    await openAssignment(tx, current.id, conciergeId, ASSIGNED_AT_CHECK_IN);
    return transition(tx, { booking: assigned, to: 'in_progress', actor, reason });
  });
}
