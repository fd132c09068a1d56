/**
 * What the steps of creating a booking share (flows/create-booking.ts runs them with the saga
 * runner of domain/saga.ts): the request, then what each step adds as it completes.
 */
import type { CreateBookingBody, ItemSnapshot, Quote } from '@midas/contracts';
import type { KeyRecord } from '../../db/idempotency-keys';
import type { BookingRow, PaymentRow } from '../../db/schema';
import type { PaymentProvider } from '../../payments/payment-provider';
import type { Caller, FlowContext } from '../context';

export interface HeldSlot {
  holdId: string;
  expiresAt: string;
  /** The caller brought this hold (body.holdId): it stays theirs unless the booking took it. */
  adopted: boolean;
}

export interface CreateBookingState {
  deps: FlowContext;
  caller: Caller;
  body: CreateBookingBody;
  bookingId: string;
  provider: PaymentProvider;
  isGuest: boolean;
  /** The request's Idempotency-Key, stored by the steps' own transactions. */
  record?: KeyRecord<CreatedBooking>;
  hold?: HeldSlot;
  item?: ItemSnapshot;
  quote?: Quote;
  booking?: BookingRow;
  payment?: PaymentRow;
  deposit?: PaymentRow;
  /** The guest's access token (returned once) when the booking has one. */
  accessToken?: string;
}

/** What a creation gives back. */
export interface CreatedBooking {
  booking: BookingRow;
  payment: PaymentRow;
  deposit?: PaymentRow;
  accessToken?: string;
}

/** A value a step needs from an earlier one: its absence is a bug in the step order. */
export function needed<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`booking saga: ${what} missing (step order)`);
  return value;
}
