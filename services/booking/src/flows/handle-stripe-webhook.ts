/**
 * POST /v1/payments/stripe/webhook: the signature is checked on the raw body, the event id is
 * looked up in the inbox (a redelivery is acknowledged and skipped), and the object the event is
 * about is re-fetched from Stripe before anything changes, so the order of deliveries does not
 * matter. Everything after the check is idempotent, so two deliveries racing past the inbox at
 * the same moment still have one effect.
 */
import { findPaymentByRef, paymentsOf } from '../db/payments';
import type { StripePaymentProvider } from '../payments/stripe-provider';
import type { FlowContext } from './context';
import { handleWebhookOnce, syncPayment, type WebhookOutcome } from './handle-webhook';
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

export async function handleStripeWebhook(
  deps: FlowContext,
  stripe: StripePaymentProvider,
  rawBody: unknown,
  signature: string | undefined,
): Promise<WebhookOutcome> {
  const event = stripe.verifyWebhook(rawBody, signature);
  return handleWebhookOnce(deps, 'stripe', event, async () => {
    if (PAYMENT_EVENTS.has(event.type)) {
      const failureEventId = event.type === 'payment_intent.payment_failed' ? event.id : undefined;
      await syncPayment(deps, stripe, event.objectId, 'PaymentIntent', failureEventId);
    } else if (REFUND_EVENTS.has(event.type) && event.paymentIntentId) {
      await syncRefunds(deps, event.paymentIntentId);
    }
  });
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
