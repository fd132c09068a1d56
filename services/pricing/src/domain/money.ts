/**
 * Money is an integer of minor units of one ISO 4217 currency. Multipliers and rates are
 * integers of basis points (1.25 = 12 500), so every intermediate amount is an exact rational
 * and rounding happens only through `roundHalfAwayFromZero`, the one rounding rule, which lives
 * with the rest of money (minor units, `formatMoney`) in `@midas/contracts`.
 */
import { RuleViolation } from '@midas/contracts';

/** 1.0 in basis points. */
export const ONE = 10_000;
export const ONE_N = 10_000n;

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
