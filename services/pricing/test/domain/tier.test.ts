import fc from 'fast-check';
import { higherTier, tierOrderProblem, TIERS } from '../../src/domain/tier';

describe('tiers', () => {
  it('prices the higher of the asked tier and the customer tier, standard when neither is given', () => {
    expect(higherTier(undefined, undefined)).toBe('standard');
    expect(higherTier('premium', undefined)).toBe('premium');
    expect(higherTier('standard', 'vvip')).toBe('vvip');
    expect(higherTier('vvip', 'premium')).toBe('vvip');
  });

  it('accepts exactly the multiplier sets that keep standard <= premium <= vvip', () => {
    fc.assert(
      fc.property(
        fc.tuple(
          fc.integer({ min: 1, max: 50_000 }),
          fc.integer({ min: 1, max: 50_000 }),
          fc.integer({ min: 1, max: 50_000 }),
        ),
        ([s, p, v]) => {
          const problem = tierOrderProblem({ standard: s, premium: p, vvip: v });
          expect(problem === undefined).toBe(s <= p && p <= v);
        },
      ),
    );
    expect(TIERS).toEqual(['standard', 'premium', 'vvip']);
  });
});
