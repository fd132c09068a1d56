/** Booking rows as the API shows them (contracts' bookingView): money in minor units, times in UTC. */
import type { BookingView } from '@midas/contracts';
import type { BookingRow, PaymentRow } from '../db/schema';
import { ledgerOf } from '../db/payments';

export function bookingView(b: BookingRow, payments: readonly PaymentRow[]): BookingView {
  const ledger = ledgerOf(payments);
  const pending = payments.find((p) => p.kind === 'charge' && p.status === 'pending');
  const latest = pending ?? payments.find((p) => p.kind === 'charge');
  const deposit = payments.find((p) => p.kind === 'deposit');
  return {
    id: b.id,
    status: b.status,
    itemId: b.itemId,
    itemType: b.itemType as BookingView['itemType'],
    itemName: b.itemName,
    location: b.location,
    timezone: b.timezone,
    start: b.startAt.toISOString(),
    end: b.endAt.toISOString(),
    tier: b.tier as BookingView['tier'],
    addOns: b.addOns,
    price: { currency: b.currency.trim(), total: b.total, lines: b.priceLines },
    paid: ledger.paidNet,
    refunded: ledger.refunded,
    customerId: b.customerId ?? undefined,
    guest: b.guestEmail
      ? { name: b.guestName ?? '', email: b.guestEmail, phone: b.guestPhone ?? '' }
      : undefined,
    conciergeId: b.conciergeId ?? undefined,
    holdId: b.holdId ?? undefined,
    holdExpiresAt: b.status === 'pending_payment' ? b.holdExpiresAt?.toISOString() : undefined,
    payment: latest
      ? {
          provider: latest.provider,
          status: latest.status,
          amount: latest.amount,
          clientSecret: latest.status === 'pending' ? (latest.clientSecret ?? undefined) : undefined,
        }
      : undefined,
    deposit: deposit
      ? {
          provider: deposit.provider,
          status: deposit.status,
          amount: deposit.amount,
          captured: deposit.capturedAmount ?? undefined,
          clientSecret: deposit.status === 'pending' ? (deposit.clientSecret ?? undefined) : undefined,
        }
      : undefined,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  };
}
