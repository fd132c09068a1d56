/**
 * POST /v1/payments/local/:bookingId/confirm: with the `local` provider, whoever holds the booking
 * marks its pending charges paid, which runs exactly what a provider's success webhook runs.
 */
import { Conflict } from '@midas/contracts';
import { paymentsOf } from '../db/payments';
import type { BookingRow } from '../db/schema';
import { confirmPayment } from './confirm-payment';
import type { Caller, FlowDeps } from './deps';
import { findVisibleBooking } from './find-visible-booking';

export async function confirmLocalPayment(
  deps: FlowDeps,
  caller: Caller,
  bookingId: string,
): Promise<BookingRow> {
  const { booking } = await findVisibleBooking(deps.db, bookingId, caller);
  const pending = (await paymentsOf(deps.db, booking.id)).filter(
    (p) => p.kind === 'charge' && p.status === 'pending',
  );
  if (
    pending.some((p) => p.provider !== 'local') ||
    (pending.length === 0 && booking.paymentProvider !== 'local')
  ) {
    throw new Conflict('not_local_payment', 'This booking is not paid through the local provider');
  }
  let current = booking;
  // Oldest first: the booking's own charge confirms it before any later change's charge settles.
  for (const charge of pending.reverse()) current = await confirmPayment(deps, charge.id);
  return current;
}
