import fc from 'fast-check';
import { decimalToBps, formatMoney, isKnownCurrency, roundHalfAwayFromZero } from '../../src/domain/money';

describe('money', () => {
  it('rounds exact halves away from zero and everything else to the nearest', () => {
    expect(roundHalfAwayFromZero(5n, 2n)).toBe(3n);
    expect(roundHalfAwayFromZero(-5n, 2n)).toBe(-3n);
    expect(roundHalfAwayFromZero(24n, 10n)).toBe(2n);
    expect(roundHalfAwayFromZero(-26n, 10n)).toBe(-3n);
  });

  it('never rounds further than half a minor unit', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        (n, d) => {
          const r = roundHalfAwayFromZero(n, d);
          const twiceError = 2n * (r * d - n);
          expect(twiceError <= d && twiceError >= -d).toBe(true);
        },
      ),
    );
  });

  it('formats amounts with the currency’s own minor unit', () => {
    expect(formatMoney(123_456, 'EUR')).toBe('EUR 1,234.56');
    expect(formatMoney(5, 'EUR')).toBe('EUR 0.05');
    expect(formatMoney(123_456, 'JPY')).toBe('JPY 123,456');
    expect(formatMoney(-1_234_567, 'KWD')).toBe('-KWD 1,234.567');
  });

  it('knows ISO 4217 currencies and refuses made-up ones', () => {
    expect(isKnownCurrency('AED')).toBe(true);
    expect(isKnownCurrency('XYZ')).toBe(false);
    expect(isKnownCurrency('eur')).toBe(false);
  });

  it('turns decimals into basis points only when no precision is lost', () => {
    expect(decimalToBps(1.25)).toBe(12_500);
    expect(decimalToBps(0.85)).toBe(8_500);
    expect(decimalToBps(1.00001)).toBeUndefined();
  });
});
