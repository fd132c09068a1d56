/**
 * POST /v1/payments/paypal/webhook: PayPal itself vouches for the delivery (verify-webhook-signature
 * with PAYPAL_WEBHOOK_ID), the event id is looked up in the inbox (a redelivery is acknowledged and
 * skipped), and the order or refund the event is about is re-fetched from PayPal before anything
 * changes, so duplicates and out-of-order deliveries are harmless: a PENDING capture settles when
 * its COMPLETED (or DENIED) event arrives, whatever came before it.
 */
import { isDomainError, Unavailable } from '@midas/contracts';
import { findPaymentByChargeRef, findPaymentByRef, paymentsOf } from '../db/payments';
import { recordWebhook, webhookSeen } from '../db/webhook-events';
import type { PayPalPaymentProvider, VerifiedPayPalEvent } from '../payments/paypal-provider';
import { applyPaymentState } from './apply-payment-state';
import type { FlowContext } from './context';
import type { WebhookOutcome } from './handle-stripe-webhook';
import { advanceRefund } from './refund-payments';

/** Events about a capture or an authorisation: the order they belong to is read back. */
const PAYMENT_EVENTS = new Set([
  'PAYMENT.CAPTURE.COMPLETED',
  'PAYMENT.CAPTURE.DENIED',
  'PAYMENT.CAPTURE.PENDING',
  'PAYMENT.CAPTURE.DECLINED',
  'PAYMENT.AUTHORIZATION.CREATED',
  'PAYMENT.AUTHORIZATION.VOIDED',
  'PAYMENT.AUTHORIZATION.CAPTURED',
]);
/** Events about money going back: the open refunds of the capture are read back. */
const REFUND_EVENTS = new Set(['PAYMENT.CAPTURE.REFUNDED', 'PAYMENT.CAPTURE.REVERSED']);
const FAILURE_EVENTS = new Set(['PAYMENT.CAPTURE.DENIED', 'PAYMENT.CAPTURE.DECLINED']);

export async function handlePayPalWebhook(
  deps: FlowContext,
  paypal: PayPalPaymentProvider,
  rawBody: unknown,
  header: (name: string) => string | undefined,
): Promise<WebhookOutcome> {
  const event = await paypal.verifyWebhook(rawBody, header);
  if (await webhookSeen(deps.db, 'paypal', event.id)) {
    return { eventId: event.id, type: event.type, duplicate: true };
  }
  try {
    if (PAYMENT_EVENTS.has(event.type) && event.orderId) {
      await syncOrder(deps, paypal, event.orderId, FAILURE_EVENTS.has(event.type) ? event.id : undefined);
    } else if (REFUND_EVENTS.has(event.type)) {
      await syncRefunds(deps, event);
    }
  } catch (err) {
    if (isDomainError(err)) throw err;
    deps.logger.warn({ err, eventId: event.id, type: event.type }, 'paypal webhook not handled yet');
    // PayPal redelivers on any non-2xx answer (for up to three days).
    throw new Unavailable('webhook_retry', 'The event could not be handled now; it will be retried');
  }
  await recordWebhook(deps.db, 'paypal', event.id, event.type);
  return { eventId: event.id, type: event.type, duplicate: false };
}

async function syncOrder(
  deps: FlowContext,
  paypal: PayPalPaymentProvider,
  orderId: string,
  failureEventId?: string,
): Promise<void> {
  const payment = await findPaymentByRef(deps.db, 'paypal', orderId);
  if (!payment) {
    // Not one of ours (another integration on the same account): acknowledged and left alone.
    deps.logger.info({ orderId }, 'paypal event for an unknown order');
    return;
  }
  const state = await paypal.retrievePayment(orderId);
  await applyPaymentState(deps, payment, state, { failureEventId });
}

/** Settles (or retries) the refunds still open against the refunded capture. */
async function syncRefunds(deps: FlowContext, event: VerifiedPayPalEvent): Promise<void> {
  const refund = event.refundId ? await findPaymentByRef(deps.db, 'paypal', event.refundId) : undefined;
  const charge = refund?.refundOf
    ? undefined
    : event.captureId
      ? await findPaymentByChargeRef(deps.db, 'paypal', event.captureId)
      : undefined;
  const bookingId = refund?.bookingId ?? charge?.bookingId;
  if (!bookingId) {
    deps.logger.info({ eventId: event.id }, 'paypal refund event for a capture that is not ours');
    return;
  }
  const chargeId = refund?.refundOf ?? charge!.id;
  const open = (await paymentsOf(deps.db, bookingId)).filter(
    (p) => p.kind === 'refund' && p.refundOf === chargeId && p.status === 'pending',
  );
  for (const pending of open) await advanceRefund(deps, pending);
}
