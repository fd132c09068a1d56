import fc from 'fast-check';
import { tierOrderProblem, TIERS } from '../../src/domain/tier';

describe('tiers', () => {
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
