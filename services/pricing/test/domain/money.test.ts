import { decimalToBps, formatMultiplier, formatPercent, toAmount } from '../../src/domain/money';

describe('pricing amounts and rates', () => {
  it('turns decimals into basis points only when no precision is lost', () => {
    expect(decimalToBps(1.25)).toBe(12_500);
    expect(decimalToBps(0.85)).toBe(8_500);
    expect(decimalToBps(1.00001)).toBeUndefined();
  });

  it('writes basis points as a multiplier and as a percentage', () => {
    expect(formatMultiplier(12_500)).toBe('1.25×');
    expect(formatPercent(1_250)).toBe('12.5 %');
  });

  it('refuses an amount beyond 2^53 instead of corrupting it', () => {
    expect(toAmount(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toAmount(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toThrow(/largest amount/);
  });
});
