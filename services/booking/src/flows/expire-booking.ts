/**
 * hold.expired: the hold of an unpaid booking lapsed, so the booking becomes `expired` and its
 * pending charge is abandoned. Runs inside the consumer's inbox transaction; a paid or already
 * moved-on booking is left alone.
 */
import type { Tx } from '@midas/db';
import { findBookingByHold } from '../db/bookings';
import { cancelPendingCharges, ledgerOf, paymentsOf } from '../db/payments';
import type { PaymentRow } from '../db/schema';
import { SYSTEM } from './deps';
import { tryTransition } from './transition-booking';

export async function expireBooking(tx: Tx, holdId: string): Promise<PaymentRow[]> {
  const booking = await findBookingByHold(tx, holdId);
  if (!booking || booking.status !== 'pending_payment') return [];
  if (ledgerOf(await paymentsOf(tx, booking.id)).charged > 0) return [];
  const expired = await tryTransition(tx, { booking, to: 'expired', actor: SYSTEM, reason: 'hold_lapsed' });
  if (!expired) return [];
  return cancelPendingCharges(tx, booking.id);
}
