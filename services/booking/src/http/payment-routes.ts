/**
 * Payment routes of the booking service: the Stripe webhook (raw body, mounted before the JSON
 * parser), PayPal's capture after approval, and the staff's deposit capture and release.
 */
import express, { type Express, type Request, type Router } from 'express';
import { bookingApi, NotFound } from '@midas/contracts';
import { parseInput } from '@midas/http';
import type { z } from 'zod';
import { paymentsOf } from '../db/payments';
import type { BookingRow } from '../db/schema';
import { capturePayPalPayment } from '../flows/capture-paypal-payment';
import type { Caller, FlowDeps } from '../flows/deps';
import { handleStripeWebhook } from '../flows/handle-stripe-webhook';
import { captureDeposit, releaseDeposit } from '../flows/settle-deposit';
import { StripePaymentProvider } from '../payments/stripe-provider';
import { bookingView } from './booking-view';

const api = bookingApi;

function parse<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: 'params' | 'query' | 'body',
): z.output<S> {
  return parseInput(schema, value, part) as z.output<S>;
}

function callerOf(req: Request, query: { accessToken?: string } = {}): Caller {
  return { principal: req.principal, accessToken: query.accessToken };
}

/** Stripe signs the exact bytes it sent, so this route reads them before any parser does. */
export function paymentRawRoutes(deps: FlowDeps) {
  return (app: Express) => {
    app.post(api.stripeWebhook.path, express.raw({ type: () => true, limit: '100kb' }), async (req, res) => {
      if (!(deps.payments instanceof StripePaymentProvider)) {
        throw new NotFound('Stripe webhook', 'Stripe is not the configured payment provider');
      }
      const outcome = await handleStripeWebhook(deps, deps.payments, req.body, req.get('stripe-signature'));
      res.json({ received: true, duplicate: outcome.duplicate });
    });
  };
}

export function paymentRoutes(deps: FlowDeps) {
  const view = async (b: BookingRow) => bookingView(b, await paymentsOf(deps.db, b.id));
  return (router: Router) => {
    router.post(api.capturePayPalPayment.path, async (req, res) => {
      const { bookingId } = parse(api.capturePayPalPayment.params, req.params, 'params');
      const query = parse(api.capturePayPalPayment.query, req.query, 'query');
      res.json(await view(await capturePayPalPayment(deps, callerOf(req, query), bookingId)));
    });

    router.post(api.captureDeposit.path, async (req, res) => {
      const { id } = parse(api.captureDeposit.params, req.params, 'params');
      const query = parse(api.captureDeposit.query, req.query, 'query');
      const body = parse(api.captureDeposit.body, req.body ?? {}, 'body');
      res.json(await view(await captureDeposit(deps, callerOf(req, query), id, body)));
    });

    router.post(api.releaseDeposit.path, async (req, res) => {
      const { id } = parse(api.releaseDeposit.params, req.params, 'params');
      const query = parse(api.releaseDeposit.query, req.query, 'query');
      const body = parse(api.releaseDeposit.body, req.body ?? {}, 'body');
      res.json(await view(await releaseDeposit(deps, callerOf(req, query), id, body)));
    });
  };
}
