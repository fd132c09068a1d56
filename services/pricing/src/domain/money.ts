/**
 * Money is an integer of minor units of one ISO 4217 currency. Multipliers and rates are
 * integers of basis points (1.25 = 12 500), so every intermediate amount is an exact rational
 * and rounding happens only through `roundHalfAwayFromZero`, the one rounding rule of pricing.
 */
import { RuleViolation } from '@midas/contracts';

/** 1.0 in basis points. */
export const ONE = 10_000;
export const ONE_N = 10_000n;

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

/** An amount back to a JSON-safe number; amounts beyond 2^53 are refused rather than corrupted. */
export function toAmount(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RuleViolation(
      'amount_too_large',
      'The price exceeds the largest amount this API can represent',
    );
  }
  return Number(value);
}

export function isKnownCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code);
}

const digitsByCurrency = new Map<string, number>();

/** Digits after the decimal point for a currency's minor unit (EUR 2, JPY 0, KWD 3), cached: Intl lookups are slow. */
export function minorUnitDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

/** Human-readable amount for line descriptions, e.g. `EUR 1,234.50`; built from the integer so no float rounding shows. */
export function formatMoney(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const negative = amount < 0;
  const text = Math.abs(amount)
    .toString()
    .padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : '';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${currency} ${grouped}${fraction}`;
}

/** Basis points as a short multiplier for descriptions: 12 500 -> `1.25×`. */
export function formatMultiplier(bps: number): string {
  return `${(bps / ONE).toString()}×`;
}

/** Basis points as a percentage for descriptions: 1 250 -> `12.5 %`. */
export function formatPercent(bps: number): string {
  return `${(bps / 100).toString()} %`;
}

/** A decimal such as 1.25 to basis points, refusing more precision than 1/10 000. */
export function decimalToBps(value: number): number | undefined {
  const bps = Math.round(value * ONE);
  return Math.abs(bps - value * ONE) < 1e-6 ? bps : undefined;
}
