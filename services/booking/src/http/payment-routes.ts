/**
 * Payment routes of the booking service: the Stripe webhook (raw body, mounted before the JSON
 * parser), PayPal's capture after approval, and the staff's deposit capture, release and
 * authorisation asked again after a decline.
 */
import express, { type Express, type Router } from 'express';
import { bookingApi, NotFound } from '@midas/contracts';
import { mount, type Principal } from '@midas/http';
import { paymentsOf } from '../db/payments';
import type { BookingRow } from '../db/schema';
import { capturePayPalPayment } from '../flows/capture-paypal-payment';
import type { Caller, FlowContext } from '../flows/context';
import { handlePayPalWebhook } from '../flows/handle-paypal-webhook';
import { handleStripeWebhook } from '../flows/handle-stripe-webhook';
import { retryDepositAuthorization } from '../flows/authorize-deposit';
import { captureDeposit, releaseDeposit } from '../flows/settle-deposit';
import { PayPalPaymentProvider } from '../payments/paypal-provider';
import { StripePaymentProvider } from '../payments/stripe-provider';
import { bookingView } from './booking-view';

const api = bookingApi;

function callerOf(principal: Principal, query: { accessToken?: string }): Caller {
  return { principal, accessToken: query.accessToken };
}

/** Stripe signs, and PayPal verifies, the exact bytes sent, so these routes read them before any parser does. */
export function paymentRawRoutes(deps: FlowContext) {
  return (app: Express) => {
    app.post(api.stripeWebhook.path, express.raw({ type: () => true, limit: '100kb' }), async (req, res) => {
      const stripe = deps.payments.find('stripe');
      if (!(stripe instanceof StripePaymentProvider)) {
        throw new NotFound('Stripe webhook', 'Stripe is not a configured payment provider');
      }
      const outcome = await handleStripeWebhook(deps, stripe, req.body, req.get('stripe-signature'));
      res.json({ received: true, duplicate: outcome.duplicate });
    });
    app.post(api.paypalWebhook.path, express.raw({ type: () => true, limit: '100kb' }), async (req, res) => {
      const paypal = deps.payments.find('paypal');
      if (!(paypal instanceof PayPalPaymentProvider)) {
        throw new NotFound('PayPal webhook', 'PayPal is not a configured payment provider');
      }
      const outcome = await handlePayPalWebhook(deps, paypal, req.body, (name) => req.get(name));
      res.json({ received: true, duplicate: outcome.duplicate });
    });
  };
}

export function paymentRoutes(deps: FlowContext) {
  const view = async (b: BookingRow) =>
    bookingView(b, await paymentsOf(deps.db, b.id), { depositLeadHours: deps.depositLeadHours });
  return (router: Router) => {
    mount(router, api.capturePayPalPayment, async ({ params, query, principal }, _req, res) => {
      res.json(await view(await capturePayPalPayment(deps, callerOf(principal, query), params.bookingId)));
    });

    mount(router, api.captureDeposit, async ({ params, query, body, principal }, _req, res) => {
      res.json(await view(await captureDeposit(deps, callerOf(principal, query), params.id, body)));
    });

    mount(router, api.releaseDeposit, async ({ params, query, body, principal }, _req, res) => {
      res.json(await view(await releaseDeposit(deps, callerOf(principal, query), params.id, body)));
    });

    mount(router, api.authorizeDeposit, async ({ params, query, principal }, _req, res) => {
      res.json(await view(await retryDepositAuthorization(deps, callerOf(principal, query), params.id)));
    });
  };
}
