/**
 * The security deposit: an authorisation held on the guest's card beside the booking's charge,
 * captured (in part or whole) or released by staff once the rental is over.
 */
import type { BookingStatus } from '@midas/contracts';
import type { Party } from './lifecycle';

/** Statuses in which the item has been in the guest's hands (or they did not show), so damage or loss can be charged. */
export const DEPOSIT_CAPTURABLE: readonly BookingStatus[] = ['in_progress', 'completed', 'no_show'];

export type DepositVerdict =
  | { ok: true; amount: number }
  | { ok: false; reason: 'staff_only' | 'not_held' | 'not_due' | 'exceeds_hold' | 'nothing_to_capture' };

export function judgeDepositCapture(input: {
  party: Party;
  status: BookingStatus;
  held: boolean;
  authorised: number;
  /** Unset: the whole authorisation. */
  requested?: number;
}): DepositVerdict {
  if (input.party !== 'concierge' && input.party !== 'admin') return { ok: false, reason: 'staff_only' };
  if (!input.held) return { ok: false, reason: 'not_held' };
  if (!DEPOSIT_CAPTURABLE.includes(input.status)) return { ok: false, reason: 'not_due' };
  const amount = input.requested ?? input.authorised;
  if (amount > input.authorised) return { ok: false, reason: 'exceeds_hold' };
  if (amount <= 0) return { ok: false, reason: 'nothing_to_capture' };
  return { ok: true, amount };
}

export function judgeDepositRelease(input: { party: Party; held: boolean }): DepositVerdict {
  if (input.party !== 'concierge' && input.party !== 'admin') return { ok: false, reason: 'staff_only' };
  if (!input.held) return { ok: false, reason: 'not_held' };
  return { ok: true, amount: 0 };
}
