/**
 * Which payment providers the configuration offers (README "Configuration"): Stripe with a secret
 * key, PayPal with both credentials, both side by side when both are set (Stripe the default for
 * bookings that name none), else `local` where allowed (ALLOW_LOCAL_PAYMENTS, by default not under
 * NODE_ENV=production). A half-configured or missing provider stops start-up with a line naming
 * what is missing rather than taking payments nobody can confirm.
 */
import { paymentConfigProblem, type Config } from '@midas/config';
import { LocalPaymentProvider } from './local-provider';
import type { PaymentProvider } from './payment-provider';
import { PaymentProviders } from './payment-providers';
import { PayPalPaymentProvider } from './paypal-provider';
import { StripePaymentProvider } from './stripe-provider';

export function selectPaymentProviders(cfg: Config): PaymentProviders {
  const offered: PaymentProvider[] = [];
  if (cfg.STRIPE_SECRET_KEY) {
    if (!cfg.STRIPE_WEBHOOK_SECRET) {
      throw new Error(
        'STRIPE_WEBHOOK_SECRET must be set with STRIPE_SECRET_KEY: payments are confirmed by signed webhooks',
      );
    }
    offered.push(
      new StripePaymentProvider({
        secretKey: cfg.STRIPE_SECRET_KEY,
        webhookSecret: cfg.STRIPE_WEBHOOK_SECRET,
        apiBase: cfg.STRIPE_API_BASE,
      }),
    );
  }
  if (cfg.PAYPAL_CLIENT_ID || cfg.PAYPAL_CLIENT_SECRET) {
    if (!cfg.PAYPAL_CLIENT_ID || !cfg.PAYPAL_CLIENT_SECRET) {
      throw new Error('PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET must be set together');
    }
    offered.push(
      new PayPalPaymentProvider({
        clientId: cfg.PAYPAL_CLIENT_ID,
        clientSecret: cfg.PAYPAL_CLIENT_SECRET,
        apiBase: cfg.PAYPAL_API_BASE,
        webhookId: cfg.PAYPAL_WEBHOOK_ID,
      }),
    );
  }
  if (offered.length > 0) return new PaymentProviders(offered);
  const problem = paymentConfigProblem(cfg);
  if (problem) throw new Error(problem);
  return new PaymentProviders([new LocalPaymentProvider()]);
}

/** The default provider alone (the one a booking gets when it names none). */
export function selectPaymentProvider(cfg: Config): PaymentProvider {
  return selectPaymentProviders(cfg).default;
}
