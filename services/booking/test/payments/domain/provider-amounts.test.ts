/** Pure parts of the adapters: STRIPE_API_BASE's client options (PayPal's decimal amounts are money's, in libs/contracts). */
import { stripeHostOptions } from '../../../src/payments/stripe-provider';

describe('STRIPE_API_BASE', () => {
  it("becomes the client's host, port and protocol", () => {
    expect(stripeHostOptions('http://127.0.0.1:12111')).toEqual({
      host: '127.0.0.1',
      port: 12111,
      protocol: 'http',
    });
    expect(stripeHostOptions('https://stripe.internal')).toEqual({
      host: 'stripe.internal',
      port: 443,
      protocol: 'https',
    });
    expect(stripeHostOptions(undefined)).toEqual({});
  });
});
