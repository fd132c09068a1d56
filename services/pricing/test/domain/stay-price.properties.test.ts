import fc from 'fast-check';
import { DateTime } from 'luxon';
import { priceStay, type StayPriceInput } from '../../src/domain/stay-price';
import { billingUnits, RATE_UNITS } from '../../src/domain/billing-units';
import { seasonOn, type Season } from '../../src/domain/season';
import { TIERS } from '../../src/domain/tier';

const ZONES = [
  'Europe/Monaco',
  'America/Denver',
  'Asia/Dubai',
  'Australia/Sydney',
  'America/Santiago',
] as const;
const HOUR = 3_600_000;

/** Every instant in 2026-2027 where a zone's UTC offset changes, found by scanning hour by hour. */
function transitions(zone: string): number[] {
  const out: number[] = [];
  let t = DateTime.fromISO('2026-01-01T00:00:00Z').toMillis();
  const end = DateTime.fromISO('2028-01-01T00:00:00Z').toMillis();
  let offset = DateTime.fromMillis(t, { zone }).offset;
  for (; t < end; t += HOUR) {
    const next = DateTime.fromMillis(t, { zone }).offset;
    if (next !== offset) out.push(t);
    offset = next;
  }
  return out;
}
const DST_CHANGES = ZONES.flatMap((zone) => transitions(zone).map((at) => ({ zone, at })));

it('finds the DST change-overs the properties below start from', () => {
  // Monaco, Denver, Sydney and Santiago change twice a year; Dubai never does.
  expect(DST_CHANGES.length).toBe(16);
});

const seasonArb: fc.Arbitrary<Season> = fc
  .record({
    startDay: fc.integer({ min: 0, max: 365 }),
    length: fc.integer({ min: 1, max: 120 }),
    multiplierBps: fc.integer({ min: 5_000, max: 30_000 }),
    recurring: fc.boolean(),
  })
  .map(({ startDay, length, multiplierBps, recurring }) => {
    const start = DateTime.fromISO('2026-01-01').plus({ days: startDay });
    const end = start.plus({ days: length - 1 });
    return {
      name: `S${multiplierBps}`,
      multiplierBps,
      recurring,
      start: recurring ? start.toFormat('MM-dd') : start.toISODate()!,
      end: recurring ? end.toFormat('MM-dd') : end.toISODate()!,
    };
  });

/** A start instant, either anywhere in 2026-2027 or within three days before a DST change-over. */
const startArb = fc.oneof(
  fc.record({
    zone: fc.constantFrom(...ZONES),
    at: fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-01T00:00:00Z') }),
  }),
  fc
    .record({ change: fc.constantFrom(...DST_CHANGES), before: fc.integer({ min: 0, max: 72 * 60 }) })
    .map(({ change, before }) => ({ zone: change.zone, at: change.at - before * 60_000 })),
);

const inputArb: fc.Arbitrary<StayPriceInput> = fc
  .record({
    start: startArb,
    minutes: fc.integer({ min: 1, max: 40 * 24 * 60 }),
    unit: fc.constantFrom(...RATE_UNITS),
    amount: fc.integer({ min: 0, max: 5_000_000 }),
    dailyCap: fc.option(fc.integer({ min: 0, max: 50_000_000 }), { nil: null }),
    minimumCharge: fc.option(fc.integer({ min: 0, max: 50_000_000 }), { nil: null }),
    seasons: fc.array(seasonArb, { maxLength: 4 }),
    tier: fc.constantFrom(...TIERS),
    tierBps: fc.integer({ min: 10_000, max: 30_000 }),
    locationBps: fc.option(fc.integer({ min: -5_000, max: 5_000 }), { nil: null }),
    addOns: fc.array(
      fc.record({
        code: fc.constantFrom('chef', 'crew', 'transfer'),
        pricing: fc.constantFrom('flat' as const, 'per_unit' as const, 'per_guest' as const),
        amount: fc.integer({ min: 0, max: 1_000_000 }),
        quantity: fc.integer({ min: 1, max: 20 }),
      }),
      { maxLength: 3 },
    ),
    tax: fc.option(fc.record({ rateBps: fc.integer({ min: 0, max: 3_000 }), inclusive: fc.boolean() }), {
      nil: null,
    }),
  })
  .map((r) => ({
    currency: 'EUR',
    timezone: r.start.zone,
    start: new Date(r.start.at),
    end: new Date(r.start.at + r.minutes * 60_000),
    rate: { unit: r.unit, amount: r.amount, dailyCap: r.dailyCap, minimumCharge: r.minimumCharge },
    seasons: r.seasons,
    tier: { code: r.tier, multiplierBps: r.tierBps },
    location: r.locationBps === null ? null : { description: 'Location', bps: r.locationBps },
    addOns: r.addOns.map((a) => ({ ...a, name: a.code })),
    tax: r.tax && { name: 'VAT', ...r.tax },
  }));

const total = (input: StayPriceInput) => priceStay(input).total;

describe('stay price properties', () => {
  it('lines always add up exactly to the total', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const price = priceStay(input);
        expect(price.lines.reduce((s, l) => s + l.amount, 0)).toBe(price.total);
        for (const line of price.lines) expect(Number.isSafeInteger(line.amount)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('a longer stay from the same start never costs less', () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 0, max: 10 * 24 * 60 }), (input, extraMinutes) => {
        const longer = { ...input, end: new Date(input.end.getTime() + extraMinutes * 60_000) };
        expect(total(longer)).toBeGreaterThanOrEqual(total(input));
      }),
      { numRuns: 500 },
    );
  });

  it('premium never costs less than standard nor VVIP less than premium, for any ordered multipliers', () => {
    const orderedArb = fc
      .array(fc.integer({ min: 1, max: 40_000 }), { minLength: 3, maxLength: 3 })
      .map((bps) => bps.sort((a, b) => a - b) as [number, number, number]);
    fc.assert(
      fc.property(
        inputArb,
        fc.oneof(fc.constant<[number, number, number]>([10_000, 13_000, 18_000]), orderedArb),
        (input, bps) => {
          const at = (code: 'standard' | 'premium' | 'vvip', multiplierBps: number) =>
            total({ ...input, tier: { code, multiplierBps } });
          const standard = at('standard', bps[0]);
          const premium = at('premium', bps[1]);
          const vvip = at('vvip', bps[2]);
          expect(standard).toBeLessThanOrEqual(premium);
          expect(premium).toBeLessThanOrEqual(vvip);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a stay across a season boundary costs the base rate times each unit’s own season, within rounding', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const plain = {
          ...input,
          rate: { ...input.rate, dailyCap: null, minimumCharge: null },
          tier: { code: 'standard' as const, multiplierBps: 10_000 },
        };
        const bare = { ...plain, location: null, addOns: [], tax: null };
        const units = billingUnits(bare.start, bare.end, bare.rate.unit, bare.timezone);
        const expected = units.byDate.reduce(
          (sum, d) =>
            sum + (d.units * bare.rate.amount * seasonOn(d.date, bare.seasons).multiplierBps) / 10_000,
          0,
        );
        expect(Math.abs(total(bare) - expected)).toBeLessThanOrEqual(0.5 + 1e-6 * expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('billing units across DST change-overs', () => {
  const changeArb = fc.record({
    change: fc.constantFrom(...DST_CHANGES),
    before: fc.integer({ min: 0, max: 72 * 60 }),
    minutes: fc.integer({ min: 1, max: 10 * 24 * 60 }),
  });

  it('hourly rentals are charged every started real hour, whatever the clocks do', () => {
    fc.assert(
      fc.property(changeArb, ({ change, before, minutes }) => {
        const start = new Date(change.at - before * 60_000);
        const end = new Date(start.getTime() + minutes * 60_000);
        const units = billingUnits(start, end, 'hour', change.zone);
        expect(units.count).toBe(Math.ceil(minutes / 60));
      }),
      { numRuns: 500 },
    );
  });

  it('daily rentals ending at the same wall-clock time are charged one unit per calendar day, 23 or 25 hours long', () => {
    fc.assert(
      fc.property(changeArb, fc.integer({ min: 1, max: 10 }), ({ change, before }, days) => {
        const start = DateTime.fromMillis(change.at - before * 60_000, { zone: change.zone });
        const end = start.plus({ days });
        const units = billingUnits(start.toJSDate(), end.toJSDate(), 'day', change.zone);
        expect(units.count).toBe(days);
        expect(new Set(units.byDate.map((d) => d.date)).size).toBe(days);
      }),
      { numRuns: 500 },
    );
  });

  it('nightly stays are charged one night per local date slept, DST or not', () => {
    fc.assert(
      fc.property(changeArb, ({ change, before, minutes }) => {
        const start = DateTime.fromMillis(change.at - before * 60_000, { zone: change.zone });
        const end = start.plus({ minutes });
        const units = billingUnits(start.toJSDate(), end.toJSDate(), 'night', change.zone);
        const nights = end.startOf('day').diff(start.startOf('day'), 'days').days;
        expect(units.count).toBe(Math.max(1, Math.round(nights)));
      }),
      { numRuns: 500 },
    );
  });

  it('the hours charged on each local date never exceed that date’s real length', () => {
    fc.assert(
      fc.property(changeArb, ({ change, before, minutes }) => {
        const start = new Date(change.at - before * 60_000);
        const end = new Date(start.getTime() + minutes * 60_000);
        for (const d of billingUnits(start, end, 'hour', change.zone).byDate) {
          const day = DateTime.fromISO(d.date, { zone: change.zone });
          const hours = day.plus({ days: 1 }).diff(day, 'hours').hours;
          expect(d.units).toBeLessThanOrEqual(Math.ceil(hours));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('loyalty perks', () => {
  // Perks as configured by default and anything an operator may set, out-of-range values included.
  const perkArb = fc.oneof(fc.constantFrom(0, 500, 1_000), fc.integer({ min: -20_000, max: 20_000 }));

  it("an upgraded customer's price for the same stay is never higher than a new customer's", () => {
    fc.assert(
      fc.property(inputArb, fc.constantFrom('premium', 'vvip'), perkArb, (input, tier, discountBps) => {
        const loyal = priceStay({ ...input, loyalty: { tier, discountBps } });
        const fresh = priceStay(input);
        expect(loyal.total).toBeLessThanOrEqual(fresh.total);
        // The service tier priced is the one asked for, whatever the customer's loyalty tier.
        expect(loyal.lines.find((l) => l.code === 'tier')).toEqual(
          fresh.lines.find((l) => l.code === 'tier'),
        );
        expect(loyal.lines.reduce((n, l) => n + l.amount, 0)).toBe(loyal.total);
        expect(loyal.total).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('shows the perk as one negative loyalty line, and none when it is worth nothing', () => {
    fc.assert(
      fc.property(inputArb, perkArb, (input, discountBps) => {
        const lines = priceStay({ ...input, loyalty: { tier: 'vvip', discountBps } }).lines;
        const perk = lines.filter((l) => l.code === 'loyalty');
        expect(perk.length).toBeLessThanOrEqual(1);
        for (const l of perk) expect(l.amount).toBeLessThan(0);
        if (discountBps <= 0) expect(perk).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
