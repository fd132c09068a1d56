/**
 * A calendar conflict newly kept with bookings (an outside event over them) is told to staff:
 * one `booking.calendar_conflict` per booking, naming its assigned concierge when it has an
 * active one, so notification emails that concierge, or the admins when there is none. Runs in
 * the consumed event's transaction, so a redelivered conflict (already kept) tells nobody twice.
 */
import type { calendarEvents } from '@midas/contracts';
import type { Tx } from '@midas/db';
import { enqueueEvent } from '@midas/messaging';
import type { z } from 'zod';
import { findBooking } from '../db/bookings';
import { findConcierge } from '../db/concierges';
import { summaryOf } from '../events/publish/booking-summary';

type Conflict = z.output<(typeof calendarEvents)['calendar.conflict']>;

export async function reportCalendarConflict(
  tx: Tx,
  conflict: Conflict,
  recordedBookingIds: readonly string[],
): Promise<number> {
  // A Midas event edited in Google has already been put back: its history entry is enough.
  if (conflict.kind === 'midas_event_changed') return 0;
  let reported = 0;
  for (const bookingId of recordedBookingIds) {
    const booking = await findBooking(tx, bookingId);
    if (!booking) continue;
    const concierge = booking.conciergeId ? await findConcierge(tx, booking.conciergeId) : undefined;
    await enqueueEvent(tx, 'booking', {
      type: 'booking.calendar_conflict',
      data: {
        ...summaryOf(booking),
        conflict: {
          calendarId: conflict.calendarId,
          googleEventId: conflict.googleEventId,
          start: conflict.start,
          end: conflict.end,
          summary: conflict.summary,
        },
        // A concierge since switched off is not told; the admins are.
        concierge:
          concierge?.active === true
            ? { id: concierge.id, name: concierge.name, email: concierge.email }
            : undefined,
      },
    });
    reported += 1;
  }
  return reported;
}
