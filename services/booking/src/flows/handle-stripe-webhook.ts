/**
 * POST /v1/payments/stripe/webhook: the signature is checked on the raw body, the event id is
 * looked up in the inbox (a redelivery is acknowledged and skipped), and the object the event is
 * about is re-fetched from Stripe before anything changes, so the order of deliveries does not
 * matter. Everything after the check is idempotent, so two deliveries racing past the inbox at
 * the same moment still have one effect.
 */
import { isDomainError, Unavailable } from '@midas/contracts';
import { findPaymentByRef, paymentsOf } from '../db/payments';
import { recordWebhook, webhookSeen } from '../db/webhook-events';
import type { StripePaymentProvider } from '../payments/stripe-provider';
import { applyPaymentState } from './apply-payment-state';
import type { FlowContext } from './context';
import { advanceRefund } from './refund-payments';

const PAYMENT_EVENTS = new Set([
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.amount_capturable_updated',
  'payment_intent.canceled',
]);
const REFUND_EVENTS = new Set([
  'charge.refunded',
  'refund.updated',
  'refund.failed',
  'charge.refund.updated',
]);

export interface WebhookOutcome {
  eventId: string;
  type: string;
  duplicate: boolean;
}

export async function handleStripeWebhook(
  deps: FlowContext,
  stripe: StripePaymentProvider,
  rawBody: unknown,
  signature: string | undefined,
): Promise<WebhookOutcome> {
  const event = stripe.verifyWebhook(rawBody, signature);
  if (await webhookSeen(deps.db, 'stripe', event.id)) {
    return { eventId: event.id, type: event.type, duplicate: true };
  }
  try {
    if (PAYMENT_EVENTS.has(event.type)) {
      await syncPayment(
        deps,
        stripe,
        event.objectId,
        event.type === 'payment_intent.payment_failed' ? event.id : undefined,
      );
    } else if (REFUND_EVENTS.has(event.type) && event.paymentIntentId) {
      await syncRefunds(deps, event.paymentIntentId);
    }
  } catch (err) {
    if (isDomainError(err)) throw err;
    deps.logger.warn({ err, eventId: event.id, type: event.type }, 'stripe webhook not handled yet');
    // Stripe redelivers on any non-2xx answer; 503 says "try again" without blaming the event.
    throw new Unavailable('webhook_retry', 'The event could not be handled now; it will be retried');
  }
  await recordWebhook(deps.db, 'stripe', event.id, event.type);
  return { eventId: event.id, type: event.type, duplicate: false };
}

async function syncPayment(
  deps: FlowContext,
  stripe: StripePaymentProvider,
  paymentIntentId: string,
  failureEventId?: string,
): Promise<void> {
  const payment = await findPaymentByRef(deps.db, 'stripe', paymentIntentId);
  if (!payment) {
    // Not one of ours (another integration on the same account): acknowledged and left alone.
    deps.logger.info({ paymentIntentId }, 'stripe event for an unknown PaymentIntent');
    return;
  }
  const state = await stripe.retrievePayment(paymentIntentId);
  await applyPaymentState(deps, payment, state, { failureEventId });
}

/** Settles (or retries) the refunds still open against the charge of this PaymentIntent. */
async function syncRefunds(deps: FlowContext, paymentIntentId: string): Promise<void> {
  const charge = await findPaymentByRef(deps.db, 'stripe', paymentIntentId);
  if (!charge) return;
  // A refund waiting for its next attempt after a failure keeps its backoff: the sweep asks again.
  const open = (await paymentsOf(deps.db, charge.bookingId)).filter(
    (p) =>
      p.kind === 'refund' &&
      p.refundOf === charge.id &&
      p.status === 'pending' &&
      (p.providerRef !== null || p.refundFailures === 0),
  );
  for (const refund of open) await advanceRefund(deps, refund);
}
