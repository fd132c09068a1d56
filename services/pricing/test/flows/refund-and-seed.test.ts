import { ValidationFailed } from '@midas/contracts';
import { startPricing, type PricingHarness } from '../support/harness';
import { calculateRefund } from '../../src/flows/calculate-refund';
import type { FlowContext } from '../../src/flows/context';
import { seedPricing } from '../../src/db/seed';

let h: PricingHarness;
let deps: FlowContext;
beforeAll(async () => {
  h = await startPricing({ seed: false });
  deps = h.deps;
});
afterAll(async () => {
  await h.stop();
});

const start = new Date('2027-08-10T10:00:00Z');
const before = (hours: number) => new Date(start.getTime() - hours * 3_600_000);
const ask = (over: Partial<Parameters<typeof calculateRefund>[1]>) =>
  calculateRefund(deps, {
    itemType: 'car',
    start,
    cancelledAt: before(50),
    paidAmount: 100_000,
    currency: 'EUR',
    forceMajeure: false,
    reason: 'cancellation',
    ...over,
  });

describe('refunds from the stored policies', () => {
  it('applies the documented car schedule out of the box: >= 48 h 100 %, >= 24 h 50 %, else 0, less the 2 % fee', async () => {
    expect(await ask({ cancelledAt: before(48) })).toEqual({
      amount: 98_000,
      fee: 2_000,
      rule: 'car:cancellation:>=48h',
      percent: 100,
    });
    expect(await ask({ cancelledAt: before(30) })).toEqual({
      amount: 49_000,
      fee: 1_000,
      rule: 'car:cancellation:>=24h',
      percent: 50,
    });
    expect(await ask({ cancelledAt: before(2) })).toEqual({
      amount: 0,
      fee: 0,
      rule: 'car:cancellation:<24h',
      percent: 0,
    });
    expect(await ask({ cancelledAt: before(2), forceMajeure: true })).toEqual({
      amount: 100_000,
      fee: 0,
      rule: 'force_majeure',
      percent: 100,
    });
  });

  it('refuses an unknown currency as a bad field', async () => {
    await expect(ask({ currency: 'ABC' })).rejects.toBeInstanceOf(ValidationFailed);
  });
});

describe('demo seed', () => {
  it('seeds an empty pricing schema once and leaves it alone afterwards', async () => {
    expect(await seedPricing(h.running.ctx.pool)).toBe(true);
    expect(await seedPricing(h.running.ctx.pool)).toBe(false);
    const { rows } = await h.running.ctx.pool.query<{ location: string; n: number }>(
      'SELECT location, count(*)::int AS n FROM pricing.seasons GROUP BY location ORDER BY location',
    );
    expect(rows.map((r) => r.location)).toEqual(['Aspen', 'Dubai', 'Monaco']);
  });
});
