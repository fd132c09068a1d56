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

/**
 * Erases every booking `lock` returns (and whatever `alsoErase` removes) in one transaction, or
 * nothing at all while any of them is unsettled: `refuse` says which conflict that is.
 */
async function eraseSettled(
  deps: Pick<FlowContext, 'db'>,
  caller: Caller,
  lock: (tx: Tx) => Promise<BookingRow[]>,
  refuse: (unsettled: { booking: BookingRow; reason: string }[]) => Conflict,
  alsoErase?: (tx: Tx) => Promise<void>,
): Promise<void> {
  const actor = actorOf(caller);
  await deps.db.transaction(async (tx) => {
    const owned = await lock(tx);
    const unsettled: { booking: BookingRow; reason: string }[] = [];
    for (const booking of owned) {
      const reason = await refusal(tx, booking);
      if (reason) unsettled.push({ booking, reason });
    }
    if (unsettled.length) throw refuse(unsettled);
    const now = new Date();
    await alsoErase?.(tx);
    for (const booking of owned) await erase(tx, booking, actor, now);
  });
}

export async function eraseBooking(
  deps: Pick<FlowContext, 'db'>,
  caller: Caller,
  bookingId: string,
): Promise<void> {
  const lock = async (tx: Tx): Promise<BookingRow[]> => {
    const booking = await lockBooking(tx, bookingId);
    if (!booking) throw new NotFound('booking');
    return [booking];
  };
  await eraseSettled(deps, caller, lock, ([refused]) => {
    const { booking, reason } = refused!;
    const message =
      reason === 'money_moving'
        ? 'The booking still has a payment or refund on its way; erase it once that settles'
        : `A booking that is ${booking.status} is not settled yet; its personal data is still needed`;
    return new Conflict('not_settled', message, { bookingStatus: booking.status });
  });
}

/** Every booking of the customer must be settled; otherwise nothing is erased (409 listing them). */
export async function eraseCustomer(
  deps: Pick<FlowContext, 'db'>,
  caller: Caller,
  customerId: string,
): Promise<void> {
  await eraseSettled(
    deps,
    caller,
    (tx) => lockCustomerBookings(tx, customerId),
    (unsettled) =>
      new Conflict(
        'bookings_not_settled',
        `${unsettled.length} of the customer's bookings are not settled yet; their personal data is still needed`,
        { bookingIds: unsettled.map(({ booking }) => booking.id) },
      ),
    (tx) => deleteCustomerProfile(tx, customerId),
  );
}
