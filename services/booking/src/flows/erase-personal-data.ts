/**
 * DELETE /v1/bookings/:id and DELETE /v1/customers/:id/personal-data (admin): erase the guest's
 * name, email and phone from a settled booking (or from every booking of a customer, and their
 * profile), keeping money, times and status history. The erasure is one status-history entry
 * (who and when) and one `booking.erased` event, on which notification drops its copies.
 * Erasing again is harmless: a second request finds nothing left and changes nothing more.
 */
import { Conflict, NotFound } from '@midas/contracts';
import type { Tx } from '@midas/db';
import { enqueueEvent } from '@midas/messaging';
import { lockBooking } from '../db/bookings';
import {
  deleteCustomerProfile,
  eraseBookingContact,
  hasMoneyMoving,
  lockCustomerBookings,
} from '../db/personal-data';
import type { BookingRow } from '../db/schema';
import { recordStatus } from '../db/status-history';
import { judgeErasure } from '../domain';
import { actorOf, type Actor, type Caller, type FlowContext } from './context';

export const ERASURE_REASON = 'personal_data_erased';

async function refusal(tx: Tx, booking: BookingRow): Promise<string | null> {
  const verdict = judgeErasure(booking.status, await hasMoneyMoving(tx, booking.id));
  return verdict.ok ? null : verdict.reason;
}

function alreadyErased(b: BookingRow): boolean {
  return b.erasedAt !== null && !b.guestName && !b.guestEmail && !b.guestPhone;
}

async function erase(tx: Tx, booking: BookingRow, actor: Actor, now: Date): Promise<void> {
  if (alreadyErased(booking)) return;
  await eraseBookingContact(tx, booking.id, now);
  await recordStatus(tx, {
    bookingId: booking.id,
    from: booking.status,
    to: booking.status,
    actor,
    reason: ERASURE_REASON,
  });
  await enqueueEvent(tx, 'booking', {
    type: 'booking.erased',
    data: {
      bookingId: booking.id,
      erasedAt: now.toISOString(),
      actor: actor.id ? `${actor.role}:${actor.id}` : actor.role,
    },
  });
}

export async function eraseBooking(
  deps: Pick<FlowContext, 'db'>,
  caller: Caller,
  bookingId: string,
): Promise<void> {
  const actor = actorOf(caller);
  await deps.db.transaction(async (tx) => {
    const booking = await lockBooking(tx, bookingId);
    if (!booking) throw new NotFound('booking');
    const refused = await refusal(tx, booking);
    if (refused) {
      throw new Conflict(
        'not_settled',
        refused === 'money_moving'
          ? 'The booking still has a payment or refund on its way; erase it once that settles'
          : `A booking that is ${booking.status} is not settled yet; its personal data is still needed`,
        { bookingStatus: booking.status },
      );
    }
    await erase(tx, booking, actor, new Date());
  });
}

/** Every booking of the customer must be settled; otherwise nothing is erased (409 listing them). */
export async function eraseCustomer(
  deps: Pick<FlowContext, 'db'>,
  caller: Caller,
  customerId: string,
): Promise<void> {
  const actor = actorOf(caller);
  await deps.db.transaction(async (tx) => {
    const owned = await lockCustomerBookings(tx, customerId);
    const unsettled: string[] = [];
    for (const booking of owned) if (await refusal(tx, booking)) unsettled.push(booking.id);
    if (unsettled.length) {
      throw new Conflict(
        'bookings_not_settled',
        `${unsettled.length} of the customer's bookings are not settled yet; their personal data is still needed`,
        { bookingIds: unsettled },
      );
    }
    const now = new Date();
    await deleteCustomerProfile(tx, customerId);
    for (const booking of owned) await erase(tx, booking, actor, now);
  });
}
