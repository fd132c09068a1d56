import fc from 'fast-check';
import { formatMoney, minorDigits } from '../../src/domain/money';

describe('formatMoney', () => {
  it('formats minor units with the currency symbol and its own number of decimals', () => {
    expect(formatMoney(123_456, 'EUR')).toBe('€1,234.56');
    expect(formatMoney(5_000, 'JPY')).toBe('JP¥5,000');
    expect(formatMoney(1_234, 'KWD')).toBe('KWD\u00a01.234');
    expect(formatMoney(5, 'GBP')).toBe('£0.05');
  });

  it('keeps every minor unit: the digits shown are exactly the amount given', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('EUR', 'USD', 'GBP', 'CHF', 'JPY', 'KWD', 'AED', 'BHD'),
        fc.integer({ min: 0, max: 9_000_000_000_000 }),
        (currency, minor) => {
          const digits = formatMoney(minor, currency).replace(/\D/g, '');
          expect(BigInt(digits)).toBe(BigInt(minor));
          const decimals = /\.(\d+)\D*$/.exec(formatMoney(minor, currency))?.[1]?.length ?? 0;
          expect(decimals).toBe(minorDigits(currency));
        },
      ),
    );
  });

  it('shows a code it cannot format as the code and two decimals instead of failing the message', () => {
    expect(formatMoney(1_050, 'not-a-code')).toBe('not-a-code 10.50');
  });
});
