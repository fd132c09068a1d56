/** Booking rows as the API shows them (contracts' bookingView): money in minor units, times in UTC. */
import type { BookingView, PendingChangeView } from '@midas/contracts';
import type { BookingRow, PaymentRow, PendingChangeRow } from '../db/schema';
import { ledgerOf } from '../db/payments';
import { DEFAULT_DEPOSIT_LEAD_HOURS, depositAuthorizeAt } from '../domain/deposit-schedule';
import { itemAndPeriodOf } from '../events/publish/booking-summary';
import { refundView } from './refund-view';

/**
 * `admin`: the view admins get, with the booking's dead-lettered refunds. `depositLeadHours`
 * (DEPOSIT_AUTH_LEAD_HOURS) dates a deposit still waiting for its authorisation.
 */
export function bookingView(
  b: BookingRow,
  payments: readonly PaymentRow[],
  opts: { admin?: boolean; depositLeadHours?: number } = {},
): BookingView {
  const deadLettered = opts.admin
    ? payments.filter((p) => p.kind === 'refund' && p.status === 'dead_lettered')
    : [];
  const ledger = ledgerOf(payments);
  const pending = payments.find((p) => p.kind === 'charge' && p.status === 'pending');
  const latest = pending ?? payments.find((p) => p.kind === 'charge');
  const deposit = payments.find((p) => p.kind === 'deposit');
  return {
    id: b.id,
    status: b.status,
    ...itemAndPeriodOf(b),
    tier: b.tier,
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
          // Pending: the order the payer approves (PayPal); declined: the attempt the guest may complete (Stripe).
          clientSecret:
            deposit.status === 'pending' || deposit.status === 'declined'
              ? (deposit.clientSecret ?? undefined)
              : undefined,
          authorizeAt:
            deposit.status === 'pending' && !deposit.providerRef
              ? depositAuthorizeAt(
                  b.startAt,
                  opts.depositLeadHours ?? DEFAULT_DEPOSIT_LEAD_HOURS,
                ).toISOString()
              : undefined,
        }
      : undefined,
    depositStatus: deposit?.status,
    ...(deadLettered.length ? { deadLetteredRefunds: deadLettered.map((r) => refundView(r)) } : {}),
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  };
}

/** The 202 answer to a change that waits for its difference. */
export function pendingChangeView(
  change: PendingChangeRow,
  payment: PaymentRow,
  booking: BookingView,
): PendingChangeView {
  return {
    pendingChange: {
      id: change.id,
      bookingId: change.bookingId,
      status: change.status,
      start: change.startAt.toISOString(),
      end: change.endAt.toISOString(),
      addOns: change.addOns,
      price: { currency: booking.price.currency, total: change.total, lines: change.priceLines },
      difference: payment.amount,
      expiresAt: change.expiresAt.toISOString(),
    },
    payment: {
      provider: payment.provider,
      status: payment.status,
      amount: payment.amount,
      currency: payment.currency.trim(),
      clientSecret: payment.clientSecret ?? undefined,
    },
    booking,
  };
}
