/**
 * Stripe's side of payment reconciliation through the official client's list APIs: the
 * PaymentIntents this integration created in the window (metadata.booking_id) and every refund of
 * the window against them, whoever made it (a refund made in Stripe's dashboard has no metadata of
 * ours and is exactly what reconciliation must find).
 */
import Stripe from 'stripe';
import type { ProviderRecord, ReconciledStatus } from '../domain/reconciliation';
import type { ProviderRecordSource } from './provider-records';
import { stripeHostOptions } from './stripe-provider';

const INTENT_STATUS: Record<Stripe.PaymentIntent.Status, ReconciledStatus> = {
  requires_payment_method: 'pending',
  requires_confirmation: 'pending',
  requires_action: 'pending',
  processing: 'pending',
  requires_capture: 'authorized',
  succeeded: 'succeeded',
  canceled: 'cancelled',
};

function refundStatus(status: string | null): ReconciledStatus {
  if (status === 'succeeded') return 'succeeded';
  if (status === 'failed' || status === 'canceled') return 'failed';
  return 'pending';
}

function intentRecord(pi: Stripe.PaymentIntent): ProviderRecord {
  const status = INTENT_STATUS[pi.status] ?? 'pending';
  return {
    kind: 'payment',
    provider: 'stripe',
    providerRef: pi.id,
    ourId: pi.metadata?.payment_id,
    bookingId: pi.metadata?.booking_id,
    amount: status === 'authorized' ? pi.amount_capturable : (pi.amount_received ?? 0),
    currency: pi.currency,
    status,
  };
}

function refundRecord(refund: Stripe.Refund, bookingOfIntent?: string): ProviderRecord {
  return {
    kind: 'refund',
    provider: 'stripe',
    providerRef: refund.id,
    ourId: refund.metadata?.refund_id,
    bookingId: refund.metadata?.booking_id ?? bookingOfIntent,
    amount: refund.amount,
    currency: refund.currency,
    status: refundStatus(refund.status),
  };
}

function intentOf(refund: Stripe.Refund): string | undefined {
  const pi = refund.payment_intent;
  return typeof pi === 'string' ? pi : (pi?.id ?? undefined);
}

function missing(err: unknown): boolean {
  return (
    err instanceof Stripe.errors.StripeError && (err.statusCode === 404 || err.code === 'resource_missing')
  );
}

export function stripeRecordSource(options: { secretKey: string; apiBase?: string }): ProviderRecordSource {
  const stripe = new Stripe(options.secretKey, {
    ...stripeHostOptions(options.apiBase),
    timeout: 30_000,
    maxNetworkRetries: 2,
    telemetry: false,
  });
  return {
    provider: 'stripe',
    async list(since) {
      const created = { gte: Math.floor(since.getTime() / 1000) };
      const intents: ProviderRecord[] = [];
      // Our intents and the booking each belongs to.
      const ours = new Map<string, string>();
      for await (const pi of stripe.paymentIntents.list({ created, limit: 100 })) {
        // Another integration on the same account is none of our business.
        if (!pi.metadata?.booking_id) continue;
        intents.push(intentRecord(pi));
        ours.set(pi.id, pi.metadata.booking_id);
      }
      const refunds: ProviderRecord[] = [];
      for await (const refund of stripe.refunds.list({ created, limit: 100 })) {
        const intent = intentOf(refund);
        if (intent && !ours.has(intent) && !refund.metadata?.booking_id) {
          // A refund of the window against an older intent: ours when that intent is.
          const pi = await stripe.paymentIntents.retrieve(intent).catch(() => undefined);
          if (pi?.metadata?.booking_id) ours.set(pi.id, pi.metadata.booking_id);
        }
        if (refund.metadata?.booking_id || (intent && ours.has(intent)))
          refunds.push(refundRecord(refund, intent ? ours.get(intent) : undefined));
      }
      return [...intents, ...refunds];
    },
    async lookup(record) {
      try {
        return record.kind === 'refund'
          ? refundRecord(await stripe.refunds.retrieve(record.providerRef))
          : intentRecord(await stripe.paymentIntents.retrieve(record.providerRef));
      } catch (err) {
        if (missing(err)) return undefined;
        throw err;
      }
    },
  };
}
