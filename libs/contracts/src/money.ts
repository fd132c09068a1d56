/**
 * Money, the same everywhere: an integer of minor units of one ISO 4217 currency. This module is
 * the one table of minor-unit digits (EUR 2, JPY 0, KWD 3, read from Intl and remembered), the one
 * rounding rule (exact halves away from zero, in bigint), the one conversion to and from a
 * decimal string, and the one way money is written for people (`€1,234.56`, Intl, en-GB). Pure.
 */

const LOCALE = 'en-GB';

const digitsByCurrency = new Map<string, number>();

/** Whether `code` is an ISO 4217 code this runtime knows, written in capitals (`EUR`, not `eur`). */
export function isKnownCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code);
}

/**
 * Digits after the decimal point in a currency's minor unit (EUR 2, JPY 0, KWD 3). Remembered per
 * currency: building an Intl.NumberFormat costs about 0.3 ms. Case does not matter (`eur` as
 * Stripe writes it is EUR); a code that is not three letters throws a RangeError.
 */
export function minorDigits(currency: string): number {
  const code = currency.trim().toUpperCase();
  let digits = digitsByCurrency.get(code);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat(LOCALE, { style: 'currency', currency: code }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    digitsByCurrency.set(code, digits);
  }
  return digits;
}

/** Minor units in one major unit: 100 for EUR, 1 for JPY, 1000 for KWD. */
export function minorUnitsPerMajor(currency: string): number {
  return 10 ** minorDigits(currency);
}

/**
 * numerator / denominator rounded to the nearest integer, exact halves away from zero
 * ("commercial rounding": 2.5 -> 3, -2.5 -> -3), computed in bigint so nothing is lost to floats.
 */
export function roundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const rounded = (2n * magnitude + denominator) / (2n * denominator);
  return negative ? -rounded : rounded;
}

/** Minor units as a plain decimal string with the currency's own decimals: `123456, 'EUR'` -> `1234.56`. */
export function toDecimalString(minor: number | bigint, currency: string): string {
  return decimalOf(BigInt(minor), minorDigits(currency));
}

/**
 * A plain decimal string (`1234.5`, `-0.05`, `5000`) back to minor units; digits beyond the
 * currency's minor unit are cut off, as a provider's amounts never carry them.
 */
export function fromDecimalString(value: string, currency: string): number {
  const digits = minorDigits(currency);
  const match = /^\s*(-?)(\d*)(?:\.(\d*))?\s*$/.exec(value);
  if (!match || (match[2] === '' && !match[3])) throw new RangeError(`"${value}" is not a decimal amount`);
  const [, sign, whole, fraction = ''] = match;
  const minor =
    Number(whole || '0') * 10 ** digits + Number(fraction.padEnd(digits, '0').slice(0, digits) || '0');
  return sign === '-' && minor !== 0 ? -minor : minor;
}

/**
 * Money for people: `123456, 'EUR'` -> `€1,234.56`, `5000, 'JPY'` -> `JP¥5,000`, with exactly the
 * currency's decimals and every minor unit kept (Intl is given the exact decimal, not a float).
 * A code Intl cannot format is written as the code and two decimals rather than failing.
 */
export function formatMoney(minor: number | bigint, currency: string): string {
  let digits: number;
  try {
    digits = minorDigits(currency);
  } catch {
    return `${currency} ${decimalOf(BigInt(minor), 2)}`;
  }
  const format = new Intl.NumberFormat(LOCALE, {
    style: 'currency',
    currency: currency.trim().toUpperCase(),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // A decimal string is formatted exactly (Intl.NumberFormat v3).
  return format.format(decimalOf(BigInt(minor), digits) as Intl.StringNumericLiteral);
}

function decimalOf(minor: bigint, digits: number): string {
  const sign = minor < 0n ? '-' : '';
  const text = (minor < 0n ? -minor : minor).toString().padStart(digits + 1, '0');
  if (digits === 0) return `${sign}${text}`;
  return `${sign}${text.slice(0, text.length - digits)}.${text.slice(text.length - digits)}`;
}
