/**
 * New terms land on a booking, whether the change applied at once (commit.ts) or after its
 * difference was paid (apply-paid-change.ts): the row moves by compare-and-swap on the version,
 * the modification is recorded and `booking.modified` carries the previous dates and total.
 */
import type { Quote } from '@midas/contracts';
import type { Tx } from '@midas/db';
import { enqueueEvent } from '@midas/messaging';
import { updateTerms } from '../../db/bookings';
import { modifications, type BookingRow } from '../../db/schema';
import { summaryOf } from '../../events/publish/booking-summary';
import { conciergeContactOf } from '../../events/publish/concierge-contact';
import type { Terms } from './state';

export type BookingTerms = Pick<
  BookingRow,
  'startAt' | 'endAt' | 'addOns' | 'total' | 'priceLines' | 'quoteId'
>;

/** The asked-for dates and add-ons at the quoted price, as a booking (or a change waiting for its charge) stores them. */
export function quotedTerms(terms: Terms, quote: Quote): BookingTerms {
  return {
    startAt: terms.start,
    endAt: terms.end,
    addOns: terms.addOns,
    total: quote.total,
    priceLines: quote.lines,
    quoteId: quote.id,
  };
}

/** Undefined when the booking is no longer the version it was read at. */
export async function applyTerms(
  tx: Tx,
  booking: BookingRow,
  terms: BookingTerms,
  actor: { role: string; id?: string | null },
): Promise<BookingRow | undefined> {
  // Only the terms reach the update, whatever else the caller's object holds (a waiting change's row).
  const { startAt, endAt, addOns, total, priceLines, quoteId } = terms;
  const updated = await updateTerms(tx, booking.id, booking.version, {
    startAt,
    endAt,
    addOns,
    total,
    priceLines,
    quoteId,
  });
  if (!updated) return undefined;
  const before = {
    start: booking.startAt.toISOString(),
    end: booking.endAt.toISOString(),
    addOns: booking.addOns,
    total: booking.total,
  };
  await tx.insert(modifications).values({
    bookingId: booking.id,
    actorRole: actor.role,
    actorId: actor.id ?? null,
    before,
    after: { start: startAt.toISOString(), end: endAt.toISOString(), addOns, total },
    priceDifference: total - booking.total,
  });
  await enqueueEvent(tx, 'booking', {
    type: 'booking.modified',
    data: {
      ...summaryOf(updated),
      previous: { start: before.start, end: before.end, total: booking.total },
      actor: actor.id ? `${actor.role}:${actor.id}` : actor.role,
      concierge: await conciergeContactOf(tx, updated.conciergeId),
    },
  });
  return updated;
}
