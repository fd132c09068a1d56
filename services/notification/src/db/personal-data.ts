/**
 * SQL that erases a booking's personal data from the notification schema: the communications
 * record (recipient, bodies that greet the guest or list their contact, errors that may quote an
 * address), delivery attempts' errors, webhook delivery bodies (the `guest` object of
 * subscriptions with personal data) and `notification.*` events in the outbox. Subjects, which
 * name only the item, the place and the dates, and every status and count are kept.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '@midas/db';
import { communications, deliveryAttempts, erasedBookings } from './schema';

export const ERASED_TEXT = '[erased: personal data removed on request]';
export const ERASED_BEFORE_DELIVERY = 'personal data erased before delivery';

/**
 * Events of one booking may be handled concurrently: the erasure and a message's recording take
 * the same per-booking lock, so a message is either recorded before the erasure (and scrubbed by
 * it) or sees it.
 */
async function lockBookingRecord(tx: Tx, bookingId: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${'erasure:' + bookingId}))`);
}

export async function eraseBookingMessages(tx: Tx, bookingId: string, erasedAt: Date): Promise<void> {
  await lockBookingRecord(tx, bookingId);
  await tx.insert(erasedBookings).values({ bookingId, erasedAt }).onConflictDoNothing();
  const ids = (
    await tx
      .select({ id: communications.id })
      .from(communications)
      .where(eq(communications.bookingId, bookingId))
  ).map((r) => r.id);
  if (ids.length) {
    await tx
      .update(communications)
      .set({
        recipient: '',
        html: ERASED_TEXT,
        bodyText: ERASED_TEXT,
        // One still waiting for delivery is not sent: it has nobody to go to any more.
        status: sql`CASE WHEN ${communications.status} = 'pending' THEN 'failed' ELSE ${communications.status} END`,
        error: sql`CASE WHEN ${communications.status} = 'pending' THEN ${ERASED_BEFORE_DELIVERY}
                   WHEN ${communications.error} IS NULL THEN NULL ELSE ${ERASED_TEXT} END`,
        updatedAt: new Date(),
      })
      .where(eq(communications.bookingId, bookingId));
    await tx
      .update(deliveryAttempts)
      .set({ error: sql`CASE WHEN ${deliveryAttempts.error} IS NULL THEN NULL ELSE ${ERASED_TEXT} END` })
      .where(inArray(deliveryAttempts.communicationId, ids));
  }
  await tx.execute(sql`
    UPDATE "notification"."webhook_deliveries"
       SET body = ((body::jsonb) #- '{data,guest}')::text
     WHERE booking_id = ${bookingId} AND (body::jsonb) #> '{data,guest}' IS NOT NULL`);
  await tx.execute(sql`
    UPDATE "notification"."outbox" SET data = jsonb_set(data, '{to}', '""'::jsonb)
     WHERE data->>'bookingId' = ${bookingId} AND data ? 'to'`);
}

/** Whether the booking was erased; holds the booking's lock until the caller's transaction ends. */
export async function isErased(tx: Tx, bookingId: string): Promise<boolean> {
  await lockBookingRecord(tx, bookingId);
  const [row] = await tx
    .select({ id: erasedBookings.bookingId })
    .from(erasedBookings)
    .where(eq(erasedBookings.bookingId, bookingId));
  return row !== undefined;
}
