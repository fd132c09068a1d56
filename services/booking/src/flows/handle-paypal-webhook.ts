/**
 * POST /v1/payments/paypal/webhook: PayPal itself vouches for the delivery (verify-webhook-signature
 * with PAYPAL_WEBHOOK_ID), the event id is looked up in the inbox (a redelivery is acknowledged and
 * skipped), and the order or refund the event is about is re-fetched from PayPal before anything
 * changes, so duplicates and out-of-order deliveries are harmless: a PENDING capture settles when
 * its COMPLETED (or DENIED) event arrives, whatever came before it.
 */
import { findPaymentByChargeRef, findPaymentByRef, paymentsOf } from '../db/payments';
import type { PayPalPaymentProvider, VerifiedPayPalEvent } from '../payments/paypal-provider';
import type { FlowContext } from './context';
import { handleWebhookOnce, syncPayment, type WebhookOutcome } from './handle-webhook';
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
  return handleWebhookOnce(deps, 'paypal', event, async () => {
    if (PAYMENT_EVENTS.has(event.type) && event.orderId) {
      const failureEventId = FAILURE_EVENTS.has(event.type) ? event.id : undefined;
      await syncPayment(deps, paypal, event.orderId, 'order', failureEventId);
    } else if (REFUND_EVENTS.has(event.type)) {
      await syncRefunds(deps, event);
    }
  });
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
