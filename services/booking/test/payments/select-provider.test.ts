/** Which provider the configuration selects, and the refusal of a half-configured one at start. */
import { randomBytes } from 'node:crypto';
import { parseConfig } from '@midas/config';
import { selectPaymentProvider, selectPaymentProviders } from '../../src/payments/select-provider';

const select = (env: Record<string, string>) => selectPaymentProvider(parseConfig(env));

describe('payment provider selection', () => {
  it('uses the local provider without keys', () => {
    expect(select({}).name).toBe('local');
  });

  it('uses Stripe with a secret key and its webhook secret, ahead of PayPal', () => {
    const stripe = select({
      STRIPE_SECRET_KEY: 'sk_test_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
      PAYPAL_CLIENT_ID: 'id',
      PAYPAL_CLIENT_SECRET: 'secret',
    });
    expect(stripe).toMatchObject({ name: 'stripe', supportsDeposits: true });
  });

  it('offers Stripe and PayPal together when both are configured, Stripe first as the default', () => {
    const both = selectPaymentProviders(
      parseConfig({
        STRIPE_SECRET_KEY: 'sk_test_x',
        STRIPE_WEBHOOK_SECRET: 'whsec_x',
        PAYPAL_CLIENT_ID: 'id',
        PAYPAL_CLIENT_SECRET: 'secret',
      }),
    );
    expect(both.offered).toEqual(['stripe', 'paypal']);
    expect(both.default.name).toBe('stripe');
    expect(both.choose(undefined).name).toBe('stripe');
    expect(both.choose('paypal').name).toBe('paypal');
    expect(() => both.choose('local')).toThrow(/not offered/);
    const paypalOnly = selectPaymentProviders(
      parseConfig({ PAYPAL_CLIENT_ID: 'id', PAYPAL_CLIENT_SECRET: 's' }),
    );
    expect(() => paypalOnly.choose('stripe')).toThrow(/stripe is not offered here; choose one of paypal/);
  });

  it('refuses a Stripe key without the webhook secret that confirms its payments', () => {
    expect(() => select({ STRIPE_SECRET_KEY: 'sk_test_x' })).toThrow(/STRIPE_WEBHOOK_SECRET/);
  });

  it('uses PayPal with both credentials and refuses one alone', () => {
    expect(select({ PAYPAL_CLIENT_ID: 'id', PAYPAL_CLIENT_SECRET: 'secret' })).toMatchObject({
      name: 'paypal',
      supportsDeposits: true,
    });
    expect(() => select({ PAYPAL_CLIENT_ID: 'id' })).toThrow(/PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET/);
  });

  it('refuses a PAYPAL_API_BASE that is not a URL', () => {
    expect(() => parseConfig({ PAYPAL_API_BASE: 'not a url' })).toThrow(/PAYPAL_API_BASE/);
  });

  it('takes the local provider under NODE_ENV=production only when ALLOW_LOCAL_PAYMENTS=true', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: randomBytes(48).toString('base64') };
    expect(() => select(production)).toThrow(/STRIPE_SECRET_KEY.*PAYPAL_CLIENT_ID/);
    expect(() => select({ ...production, ALLOW_LOCAL_PAYMENTS: 'false' })).toThrow(/STRIPE_SECRET_KEY/);
    expect(select({ ...production, ALLOW_LOCAL_PAYMENTS: 'true' }).name).toBe('local');
    expect(() => select({ ALLOW_LOCAL_PAYMENTS: 'false' })).toThrow(/ALLOW_LOCAL_PAYMENTS=true/);
    expect(() => parseConfig({ ALLOW_LOCAL_PAYMENTS: 'yes' })).toThrow(/ALLOW_LOCAL_PAYMENTS/);
  });
});
