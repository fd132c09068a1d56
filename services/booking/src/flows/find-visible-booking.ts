/** Loads a booking for a caller, or a 404 when it does not exist or is not theirs to see. */
import { NotFound } from '@midas/contracts';
import type { Tx } from '@midas/db';
import { findBooking, lockBooking } from '../db/bookings';
import type { BookingRow } from '../db/schema';
import { partyOf, relationOf, type Party, type Relation } from '../domain';
import { accessTokenMatches } from './access-token';
import type { Caller } from './context';

export interface VisibleBooking {
  booking: BookingRow;
  relation: Relation;
  party: Party;
}

export function visibility(booking: BookingRow, caller: Caller): VisibleBooking | undefined {
  const relation = relationOf(
    booking,
    caller.principal,
    accessTokenMatches(caller.accessToken, booking.accessTokenHash),
  );
  if (!relation) return undefined;
  return { booking, relation, party: partyOf(caller.principal.role, relation) };
}

export async function findVisibleBooking(
  tx: Tx,
  id: string,
  caller: Caller,
  opts: { lock?: boolean } = {},
): Promise<VisibleBooking> {
  const booking = opts.lock ? await lockBooking(tx, id) : await findBooking(tx, id);
  const visible = booking ? visibility(booking, caller) : undefined;
  if (!visible) throw new NotFound('booking');
  return visible;
}
