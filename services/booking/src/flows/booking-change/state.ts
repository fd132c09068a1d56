/** What the steps of a booking change (modify-booking.ts) hand on to each other. */
import type { ModifyBookingBody, Quote } from '@midas/contracts';
import type { BookingRow, PaymentRow, PendingChangeRow } from '../../db/schema';
import type { PendingSlot, Settlement } from '../../domain';
import { needed } from '../booking-saga/state';
import type { Actor, Caller, FlowContext } from '../context';

export interface Terms {
  start: Date;
  end: Date;
  addOns: BookingRow['addOns'];
}

/** What was reserved outside the database for a change, undone if the change does not commit. */
export interface Reserved {
  /** The slot moved to the new dates (a change that applies at once). */
  moved?: boolean;
  /** The booking's slot stretched over both periods (a waiting change). */
  spanned?: boolean;
  holdId?: string;
  /** The charge for a raised price, created at the provider before the change commits. */
  payment?: { id: string; providerRef: string; clientSecret?: string };
  slot?: PendingSlot;
}

export type ModifiedBooking =
  | { kind: 'applied'; booking: BookingRow; settlement: Settlement }
  | { kind: 'pending'; booking: BookingRow; change: PendingChangeRow; payment: PaymentRow };

export interface ChangeState {
  deps: FlowContext;
  caller: Caller;
  actor: Actor;
  bookingId: string;
  body: ModifyBookingBody;
  /** The booking as claimed: the commit applies only if it is still this version. */
  booking?: BookingRow;
  terms?: Terms;
  quote?: Quote;
  settlement?: Settlement;
  reserved?: Reserved;
  result?: ModifiedBooking & { refunds?: PaymentRow[] };
}

/** What every step after the claim starts from: the booking as claimed and the terms asked for. */
export function claimedChange(state: ChangeState): { deps: FlowContext; booking: BookingRow; terms: Terms } {
  return { deps: state.deps, booking: needed(state.booking, 'booking'), terms: needed(state.terms, 'terms') };
}
