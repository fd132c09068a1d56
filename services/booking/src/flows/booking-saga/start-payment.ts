/**
 * Step 4, start the payment: the provider-side payment of the booking's charge (and of its
 * deposit), outside any transaction, then their references recorded in one transaction, with
 * whatever the request keeps of its answer (its Idempotency-Key). A provider that fails makes
 * the booking fail as `payment_unavailable` (the earlier steps are undone by the runner).
 */
import type { Tx } from '@midas/db';
import { Unavailable } from '@midas/contracts';
import { recordProviderRef } from '../../db/payments';
import type { BookingRow, PaymentRow } from '../../db/schema';
import type { SagaStep } from '../../domain/saga';
import { providerOf, type FlowContext } from '../context';
import { needed, type CreateBookingState } from './state';

export interface Started {
  payment: PaymentRow;
  deposit?: PaymentRow;
}

export const startPayments: SagaStep<CreateBookingState, Started> = {
  name: 'start the payment',
  run: (state) => {
    const booking = needed(state.booking, 'booking');
    const finished = state.record?.finished;
    return startAndRecord(
      state.deps,
      booking,
      { payment: needed(state.payment, 'payment'), deposit: state.deposit },
      finished && ((tx, started) => finished(tx, { booking, ...started, accessToken: state.accessToken })),
    );
  },
  merge: (state, started) => ({ ...state, ...started }),
};

/**
 * Starts at the provider what is not started yet: the charge, and a deposit the payer approves
 * with it (PayPal's order, `local`); one authorised at its lead time (Stripe) waits for the
 * deposit job, with the card the payment saves. Then records the references and runs `then` in
 * one transaction; if that fails, the payments just created are cancelled at the provider.
 */
export async function startAndRecord(
  deps: FlowContext,
  booking: BookingRow,
  rows: Started,
  then?: (tx: Tx, started: Started) => Promise<void>,
): Promise<Started> {
  const created: PaymentRow[] = [];
  const start = async (p: PaymentRow, deposit?: PaymentRow): Promise<PaymentRow> => {
    if (p.providerRef || (p.kind === 'deposit' && providerOf(deps, p).depositTiming === 'lead_time'))
      return p;
    const started = await createAtProvider(deps, booking, p, deposit);
    created.push(started);
    return started;
  };
  try {
    const started: Started = {
      payment: await start(rows.payment, rows.deposit),
      deposit: rows.deposit && (await start(rows.deposit)),
    };
    if (created.length || then) {
      await deps.db.transaction(async (tx) => {
        for (const p of created)
          await recordProviderRef(tx, p.id, p.providerRef!, p.clientSecret ?? undefined);
        await then?.(tx, started);
      });
    }
    return started;
  } catch (err) {
    // The booking is undone without knowing these payments' provider ids: cancel them here, so
    // nothing stays payable at the provider (reconciliation still finds them by our id).
    for (const p of created) await cancelUnrecorded(deps, p);
    deps.logger.warn({ err, bookingId: booking.id }, 'payment could not be started; cancelling the booking');
    throw paymentUnavailable();
  }
}

export function paymentUnavailable(): Unavailable {
  return new Unavailable(
    'payment_unavailable',
    'The payment could not be started; nothing was booked, please retry',
  );
}

async function cancelUnrecorded(deps: FlowContext, payment: PaymentRow): Promise<void> {
  await providerOf(deps, payment)
    .cancelPayment(payment.providerRef!)
    .catch((err: unknown) =>
      deps.logger.warn({ err, paymentId: payment.id }, 'could not cancel an unrecorded payment'),
    );
}

/** Creates the provider-side payment; the row returned carries its reference, not yet recorded. */
async function createAtProvider(
  deps: FlowContext,
  booking: BookingRow,
  payment: PaymentRow,
  deposit?: PaymentRow,
): Promise<PaymentRow> {
  const period = `${booking.startAt.toISOString()} – ${booking.endAt.toISOString()}`;
  const created = await providerOf(deps, payment).createPayment({
    paymentId: payment.id,
    bookingId: booking.id,
    amount: payment.amount,
    currency: payment.currency,
    description:
      payment.kind === 'deposit'
        ? `Security deposit, ${booking.itemName} ${period}`
        : `${booking.itemName} ${period}`,
    capture: payment.kind === 'deposit' ? 'manual' : 'automatic',
    // The deposit is authorised later without the guest: their card is kept for it.
    saveCard: deposit !== undefined && providerOf(deps, deposit).depositTiming === 'lead_time',
  });
  return { ...payment, providerRef: created.providerRef, clientSecret: created.clientSecret ?? null };
}
