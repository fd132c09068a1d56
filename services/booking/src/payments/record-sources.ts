/** The reconciliation sources of the configured providers: Stripe's list APIs, PayPal's records read back one by one; `local` has nothing to compare. */
import type { Config } from '@midas/config';
import { portRecordSource, type ProviderRecordSource } from './provider-records';
import { PayPalPaymentProvider } from './paypal-provider';
import { stripeRecordSource } from './stripe-records';

export function recordSourcesFor(
  cfg: Pick<
    Config,
    'STRIPE_SECRET_KEY' | 'STRIPE_API_BASE' | 'PAYPAL_CLIENT_ID' | 'PAYPAL_CLIENT_SECRET' | 'PAYPAL_API_BASE'
  >,
): ProviderRecordSource[] {
  const sources: ProviderRecordSource[] = [];
  if (cfg.STRIPE_SECRET_KEY) {
    sources.push(stripeRecordSource({ secretKey: cfg.STRIPE_SECRET_KEY, apiBase: cfg.STRIPE_API_BASE }));
  }
  if (cfg.PAYPAL_CLIENT_ID && cfg.PAYPAL_CLIENT_SECRET) {
    sources.push(
      portRecordSource(
        new PayPalPaymentProvider({
          clientId: cfg.PAYPAL_CLIENT_ID,
          clientSecret: cfg.PAYPAL_CLIENT_SECRET,
          apiBase: cfg.PAYPAL_API_BASE,
        }),
      ),
    );
  }
  return sources;
}
