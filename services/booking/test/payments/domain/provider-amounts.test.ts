/** Pure parts of the adapters: PayPal's decimal amounts and STRIPE_API_BASE's client options. */
import fc from 'fast-check';
import { fromPayPalValue, toPayPalValue } from '../../../src/payments/paypal-provider';
import { stripeHostOptions } from '../../../src/payments/stripe-provider';

describe('PayPal amounts', () => {
  it("writes minor units with the currency's own decimals and reads them back unchanged", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.constantFrom('EUR', 'USD', 'JPY', 'BHD', 'AED'),
        (amount, currency) => {
          expect(fromPayPalValue(toPayPalValue(amount, currency), currency)).toBe(amount);
        },
      ),
    );
  });

  it('formats like PayPal expects', () => {
    expect(toPayPalValue(123_456, 'EUR')).toBe('1234.56');
    expect(toPayPalValue(5, 'USD')).toBe('0.05');
    expect(toPayPalValue(1500, 'JPY')).toBe('1500');
    expect(toPayPalValue(1_234, 'BHD')).toBe('1.234');
  });
});

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
