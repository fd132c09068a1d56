/**
 * When a booking's personal data may be erased: once it is settled, that is nothing more will
 * happen to it that needs the guest's contact. The final statuses qualify, and so do a
 * cancellation or a no-show with no money still on its way (a cancellation with nothing to
 * refund never reaches `refunded`). Money, times and status history are never erased.
 */
import type { BookingStatus } from '@midas/contracts';
import { FINAL_STATUSES } from './lifecycle';

export type ErasureVerdict = { ok: true } | { ok: false; reason: 'not_settled' | 'money_moving' };

export function judgeErasure(status: BookingStatus, moneyMoving: boolean): ErasureVerdict {
  if (FINAL_STATUSES.includes(status)) return { ok: true };
  if (status === 'cancelled' || status === 'no_show') {
    return moneyMoving ? { ok: false, reason: 'money_moving' } : { ok: true };
  }
  return { ok: false, reason: 'not_settled' };
}
