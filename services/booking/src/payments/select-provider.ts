/**
 * Which payment provider the configuration selects (README "Configuration"): Stripe with a secret key,
 * else PayPal with both credentials, else `local` where allowed (ALLOW_LOCAL_PAYMENTS, by default
 * not under NODE_ENV=production). A half-configured or missing provider stops start-up with a
 * line naming what is missing rather than taking payments nobody can confirm.
 */
import { paymentConfigProblem, type Config } from '@midas/config';
import { LocalPaymentProvider } from './local-provider';
import type { PaymentProvider } from './payment-provider';
import { PayPalPaymentProvider } from './paypal-provider';
import { StripePaymentProvider } from './stripe-provider';

export function selectPaymentProvider(cfg: Config): PaymentProvider {
  if (cfg.STRIPE_SECRET_KEY) {
    if (!cfg.STRIPE_WEBHOOK_SECRET) {
      throw new Error(
        'STRIPE_WEBHOOK_SECRET must be set with STRIPE_SECRET_KEY: payments are confirmed by signed webhooks',
      );
    }
    return new StripePaymentProvider({
      secretKey: cfg.STRIPE_SECRET_KEY,
      webhookSecret: cfg.STRIPE_WEBHOOK_SECRET,
      apiBase: cfg.STRIPE_API_BASE,
    });
  }
  if (cfg.PAYPAL_CLIENT_ID || cfg.PAYPAL_CLIENT_SECRET) {
    if (!cfg.PAYPAL_CLIENT_ID || !cfg.PAYPAL_CLIENT_SECRET) {
      throw new Error('PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET must be set together');
    }
    return new PayPalPaymentProvider({
      clientId: cfg.PAYPAL_CLIENT_ID,
      clientSecret: cfg.PAYPAL_CLIENT_SECRET,
      apiBase: cfg.PAYPAL_API_BASE,
    });
  }
  const problem = paymentConfigProblem(cfg);
  if (problem) throw new Error(problem);
  return new LocalPaymentProvider();
}
