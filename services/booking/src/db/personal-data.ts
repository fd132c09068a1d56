/**
 * SQL that erases a booking's personal data from every table of the booking schema that copies
 * it: the booking's contact, the communications record's recipients, the responses kept for
 * Idempotency-Key replays, and the events in the outbox (sent ones are kept a day). Money,
 * times, status history and the customer's standing are not touched.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import {
  bookings,
  communications,
  customerProfiles,
  idempotencyKeys,
  payments,
  type BookingRow,
} from './schema';

/** The booking's charges, refunds or deposits still pending or held. */
export async function hasMoneyMoving(tx: Tx, bookingId: string): Promise<boolean> {
  const rows = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.bookingId, bookingId), inArray(payments.status, ['pending', 'authorized'])))
    .limit(1);
  return rows.length > 0;
}

export async function lockCustomerBookings(tx: Tx, customerId: string): Promise<BookingRow[]> {
  return tx
    .select()
    .from(bookings)
    .where(eq(bookings.customerId, customerId))
    .orderBy(bookings.id)
    .for('update');
}

export async function eraseBookingContact(tx: Tx, bookingId: string, at: Date): Promise<void> {
  await tx
    .update(bookings)
    .set({
      guestName: null,
      guestEmail: null,
      guestPhone: null,
      contactFromProfile: false,
      erasedAt: at,
      version: sql`${bookings.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(bookings.id, bookingId));
  await tx.update(communications).set({ recipient: '' }).where(eq(communications.bookingId, bookingId));
  await tx
    .update(idempotencyKeys)
    .set({ responseBody: sql`${idempotencyKeys.responseBody} - 'guest'` })
    .where(and(eq(idempotencyKeys.resourceId, bookingId), sql`${idempotencyKeys.responseBody} ? 'guest'`));
  await tx.execute(sql`
    UPDATE "booking"."outbox" SET data = data - 'guest'
    WHERE data->>'bookingId' = ${bookingId} AND data ? 'guest'`);
}

export async function deleteCustomerProfile(tx: Tx, customerId: string): Promise<void> {
  await tx.delete(customerProfiles).where(eq(customerProfiles.customerId, customerId));
}
