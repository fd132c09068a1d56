import fc from 'fast-check';
import {
  formatMoney,
  fromDecimalString,
  isKnownCurrency,
  minorDigits,
  minorUnitsPerMajor,
  roundHalfAwayFromZero,
  toDecimalString,
} from '../../src';

const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'JPY', 'KWD', 'AED', 'BHD'] as const;
const currency = fc.constantFrom(...CURRENCIES);
const amount = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });

describe('money: minor units', () => {
  it('knows the decimals of currencies with 0, 2 and 3, whatever the case', () => {
    expect(minorDigits('EUR')).toBe(2);
    expect(minorDigits('eur')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('KWD')).toBe(3);
    expect(minorUnitsPerMajor('EUR')).toBe(100);
    expect(minorUnitsPerMajor('JPY')).toBe(1);
    expect(minorUnitsPerMajor('BHD')).toBe(1000);
  });

  it('refuses a code that is not three letters', () => {
    expect(() => minorDigits('EURO')).toThrow(RangeError);
  });

  it('knows ISO 4217 currencies and refuses made-up ones', () => {
    expect(isKnownCurrency('AED')).toBe(true);
    expect(isKnownCurrency('XYZ')).toBe(false);
    expect(isKnownCurrency('eur')).toBe(false);
  });
});

describe('money: rounding', () => {
  it('rounds exact halves away from zero and everything else to the nearest', () => {
    expect(roundHalfAwayFromZero(5n, 2n)).toBe(3n);
    expect(roundHalfAwayFromZero(-5n, 2n)).toBe(-3n);
    expect(roundHalfAwayFromZero(24n, 10n)).toBe(2n);
    expect(roundHalfAwayFromZero(-26n, 10n)).toBe(-3n);
    expect(() => roundHalfAwayFromZero(1n, 0n)).toThrow(RangeError);
  });

  it('never rounds further than half a unit, and is symmetric around zero', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        (n, d) => {
          const r = roundHalfAwayFromZero(n, d);
          const twiceError = 2n * (r * d - n);
          expect(twiceError <= d && twiceError >= -d).toBe(true);
          expect(roundHalfAwayFromZero(-n, d)).toBe(-r);
        },
      ),
    );
  });
});

describe('money: decimal strings', () => {
  it("writes minor units with the currency's own decimals", () => {
    expect(toDecimalString(123_456, 'EUR')).toBe('1234.56');
    expect(toDecimalString(5, 'USD')).toBe('0.05');
    expect(toDecimalString(-5, 'USD')).toBe('-0.05');
    expect(toDecimalString(1500, 'JPY')).toBe('1500');
    expect(toDecimalString(1_234, 'BHD')).toBe('1.234');
  });

  it('reads them back unchanged', () => {
    fc.assert(
      fc.property(amount, currency, (minor, code) => {
        expect(fromDecimalString(toDecimalString(minor, code), code)).toBe(minor);
      }),
    );
  });

  it('reads short fractions and whole amounts, cuts digits beyond the minor unit, refuses what is not a decimal', () => {
    expect(fromDecimalString('1234.5', 'EUR')).toBe(123_450);
    expect(fromDecimalString('12', 'EUR')).toBe(1_200);
    expect(fromDecimalString('-1.50', 'EUR')).toBe(-150);
    expect(fromDecimalString('.5', 'EUR')).toBe(50);
    expect(fromDecimalString('1.239', 'EUR')).toBe(123);
    expect(fromDecimalString('1500', 'JPY')).toBe(1500);
    for (const bad of ['', '.', 'abc', '1,50', '1.2.3', '--1']) {
      expect(() => fromDecimalString(bad, 'EUR')).toThrow(RangeError);
    }
  });
});

describe('money: formatMoney', () => {
  it('writes minor units with the currency symbol and its own number of decimals', () => {
    expect(formatMoney(123_456, 'EUR')).toBe('€1,234.56');
    expect(formatMoney(5, 'GBP')).toBe('£0.05');
    expect(formatMoney(5_000, 'JPY')).toBe('JP¥5,000');
    expect(formatMoney(1_234, 'KWD')).toBe('KWD\u00a01.234');
    expect(formatMoney(-1_234_567, 'KWD')).toBe('-KWD\u00a01,234.567');
    expect(formatMoney(123_456n, 'eur')).toBe('€1,234.56');
  });

  it('keeps every minor unit: the digits shown are exactly the amount given, even beyond a float', () => {
    fc.assert(
      fc.property(currency, amount, (code, minor) => {
        const text = formatMoney(minor, code);
        expect(BigInt(text.replace(/\D/g, '')) * (minor < 0 ? -1n : 1n)).toBe(BigInt(minor));
        expect(text.startsWith('-')).toBe(minor < 0);
        const decimals = /\.(\d+)\D*$/.exec(text)?.[1]?.length ?? 0;
        expect(decimals).toBe(minorDigits(code));
      }),
    );
    expect(formatMoney(10n ** 20n + 1n, 'EUR')).toBe('€1,000,000,000,000,000,000.01');
  });

  it('writes a code it cannot format as the code and two decimals instead of failing', () => {
    expect(formatMoney(1_050, 'not-a-code')).toBe('not-a-code 10.50');
  });
});
