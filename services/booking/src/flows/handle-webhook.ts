/**
 * What the Stripe and PayPal webhooks share once the provider vouched for an event: each event id
 * is handled once (a redelivery is acknowledged and skipped), and a payment an event is about is
 * re-read from the provider before anything changes, so the order of deliveries does not matter.
 */
import { isDomainError, Unavailable } from '@midas/contracts';
import { findPaymentByRef } from '../db/payments';
import { recordWebhook, webhookSeen } from '../db/webhook-events';
import type { PaymentProvider } from '../payments/payment-provider';
import { applyPaymentState } from './apply-payment-state';
import type { FlowContext } from './context';

export interface WebhookOutcome {
  eventId: string;
  type: string;
  duplicate: boolean;
}

/** Runs `handle` for an event not seen yet and records the event once it was handled. */
export async function handleWebhookOnce(
  deps: FlowContext,
  provider: string,
  event: { id: string; type: string },
  handle: () => Promise<void>,
): Promise<WebhookOutcome> {
  if (await webhookSeen(deps.db, provider, event.id)) {
    return { eventId: event.id, type: event.type, duplicate: true };
  }
  try {
    await handle();
  } catch (err) {
    if (isDomainError(err)) throw err;
    deps.logger.warn({ err, eventId: event.id, type: event.type }, `${provider} webhook not handled yet`);
    // Both providers redeliver on any non-2xx answer (PayPal for up to three days); 503 says
    // "try again" without blaming the event.
    throw new Unavailable('webhook_retry', 'The event could not be handled now; it will be retried');
  }
  await recordWebhook(deps.db, provider, event.id, event.type);
  return { eventId: event.id, type: event.type, duplicate: false };
}

/**
 * Applies what the provider says now of the payment it calls `providerRef` (`what`, in its own
 * words, names that object in the log when it is not one of ours).
 */
export async function syncPayment(
  deps: FlowContext,
  port: PaymentProvider,
  providerRef: string,
  what: string,
  failureEventId?: string,
): Promise<void> {
  const payment = await findPaymentByRef(deps.db, port.name, providerRef);
  if (!payment) {
    // Not one of ours (another integration on the same account): acknowledged and left alone.
    deps.logger.info({ providerRef }, `${port.name} event for an unknown ${what}`);
    return;
  }
  const state = await port.retrievePayment(providerRef);
  await applyPaymentState(deps, payment, state, { failureEventId });
}
