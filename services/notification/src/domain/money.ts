/** Money in messages: integer minor units of an ISO 4217 currency, formatted for people. */

const LOCALE = 'en-GB';

/** How many minor units make one major unit of `currency` (JPY 0, EUR 2, KWD 3). */
export function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat(LOCALE, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
    2
  );
}

/**
 * `123456, 'EUR'` -> `€1,234.56`. An unknown currency code is shown as the code with two
 * decimals rather than failing the message.
 */
export function formatMoney(minor: number, currency: string): string {
  let digits: number;
  try {
    digits = minorDigits(currency);
  } catch {
    return `${currency} ${(minor / 100).toFixed(2)}`;
  }
  const major = minor / 10 ** digits;
  return new Intl.NumberFormat(LOCALE, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(major);
}
