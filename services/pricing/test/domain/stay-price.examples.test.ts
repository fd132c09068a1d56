import { priceStay, type StayPriceInput } from '../../src/domain/stay-price';
import type { Season } from '../../src/domain/season';

const monacoSeasons: Season[] = [
  { name: 'High', multiplierBps: 12_500, recurring: true, start: '05-01', end: '06-30' },
  { name: 'Peak', multiplierBps: 15_000, recurring: true, start: '07-01', end: '08-31' },
  { name: 'Low', multiplierBps: 8_500, recurring: true, start: '11-01', end: '03-31' },
];
const aspenSeasons: Season[] = [
  { name: 'Peak', multiplierBps: 15_000, recurring: true, start: '12-20', end: '01-05' },
  { name: 'High', multiplierBps: 12_500, recurring: true, start: '01-06', end: '03-31' },
];

function sum(lines: { amount: number }[]): number {
  return lines.reduce((s, l) => s + l.amount, 0);
}

function amounts(lines: { code: string; amount: number }[]): Record<string, number> {
  return Object.fromEntries(lines.map((l) => [l.code, l.amount]));
}

describe('worked examples of quote arithmetic', () => {
  it('prices a 3-day VVIP yacht charter crossing from high into peak season with a chef', () => {
    // Yacht in Monaco at EUR 800.00 an hour, capped at EUR 12,000.00 per local day.
    // Charter Mon 29 June 10:00 to Thu 2 July 10:00 (Europe/Monaco, UTC+2) = 72 hours.
    //   29 Jun (high 1.25): 14 h × 80 000 = 1 120 000              -> seasoned 1 400 000
    //   30 Jun (high 1.25): 24 h × 80 000 = 1 920 000, cap 1 200 000 -> seasoned 1 500 000
    //    1 Jul (peak 1.5):  24 h × 80 000 = 1 920 000, cap 1 200 000 -> seasoned 1 800 000
    //    2 Jul (peak 1.5):  10 h × 80 000 =   800 000              -> seasoned 1 200 000
    //   base 4 320 000, seasoned 5 900 000, season line 1 580 000
    // VVIP 1.8: 5 900 000 × 1.8 = 10 620 000, tier line 4 720 000
    // Monaco harbour +5 %: 10 620 000 × 1.05 = 11 151 000, location line 531 000
    // Chef per guest: 6 × 25 000 = 150 000; subtotal 11 301 000
    // VAT 20 % exclusive: 11 301 000 × 0.2 = 2 260 200; total 13 561 200 (EUR 135,612.00)
    const input: StayPriceInput = {
      currency: 'EUR',
      timezone: 'Europe/Monaco',
      start: new Date('2026-06-29T10:00:00+02:00'),
      end: new Date('2026-07-02T10:00:00+02:00'),
      rate: { unit: 'hour', amount: 80_000, dailyCap: 1_200_000 },
      seasons: monacoSeasons,
      tier: { code: 'vvip', multiplierBps: 18_000 },
      location: { description: 'Monaco harbour fee', bps: 500 },
      addOns: [{ code: 'chef', name: 'Private chef', pricing: 'per_guest', amount: 25_000, quantity: 6 }],
      tax: { name: 'VAT', rateBps: 2_000, inclusive: false },
    };
    const price = priceStay(input);
    expect(amounts(price.lines)).toEqual({
      base: 4_320_000,
      season: 1_580_000,
      tier: 4_720_000,
      location: 531_000,
      'addon:chef': 150_000,
      tax: 2_260_200,
    });
    expect(price.total).toBe(13_561_200);
    expect(sum(price.lines)).toBe(price.total);
    expect(price.units).toBe(72);
    expect(price.lines.find((l) => l.code === 'base')?.description).toBe(
      '72 hours × €800.00, capped at €12,000.00 on 2 days',
    );
  });

  it('prices a property by night across a season boundary in Aspen with exclusive lodging tax', () => {
    // USD 2,000.00 a night; check-in 4 Jan 16:00, check-out 8 Jan 11:00 (America/Denver): nights 4, 5, 6, 7 Jan.
    //   4 and 5 Jan peak 1.5: 2 × 200 000 × 1.5 = 600 000; 6 and 7 Jan high 1.25: 2 × 200 000 × 1.25 = 500 000
    //   base 800 000, seasoned 1 100 000, season line 300 000; standard tier adds 0
    // Lodging tax 11.3 %: 1 100 000 × 0.113 = 124 300; total 1 224 300
    const price = priceStay({
      currency: 'USD',
      timezone: 'America/Denver',
      start: new Date('2027-01-04T16:00:00-07:00'),
      end: new Date('2027-01-08T11:00:00-07:00'),
      rate: { unit: 'night', amount: 200_000 },
      seasons: aspenSeasons,
      tier: { code: 'standard', multiplierBps: 10_000 },
      tax: { name: 'Lodging tax', rateBps: 1_130, inclusive: false },
    });
    expect(amounts(price.lines)).toEqual({ base: 800_000, season: 300_000, tier: 0, tax: 124_300 });
    expect(price.total).toBe(1_224_300);
    expect(price.units).toBe(4);
  });

  it('rounds each running total half away from zero so the lines still add up', () => {
    // EUR 333.33 a day, one day in low season 0.85: 33 333 × 0.85 = 28 333.05 -> 28 333 (season -5 000)
    // premium 1.3 on the exact amount: 28 333.05 × 1.3 = 36 832.965 -> 36 833 (tier 8 500)
    // VAT 20 %: 36 833 × 0.2 = 7 366.6 -> 7 367; total 44 200
    const price = priceStay({
      currency: 'EUR',
      timezone: 'Europe/Monaco',
      start: new Date('2026-11-10T09:00:00+01:00'),
      end: new Date('2026-11-11T09:00:00+01:00'),
      rate: { unit: 'day', amount: 33_333 },
      seasons: monacoSeasons,
      tier: { code: 'premium', multiplierBps: 13_000 },
      tax: { name: 'VAT', rateBps: 2_000, inclusive: false },
    });
    expect(amounts(price.lines)).toEqual({ base: 33_333, season: -5_000, tier: 8_500, tax: 7_367 });
    expect(price.total).toBe(44_200);
    expect(sum(price.lines)).toBe(price.total);
  });

  it('shows an inclusive tax without adding it to the total', () => {
    // AED 1,500.00 a day for 2 days = 300 000, VAT 5 % already included:
    // net 300 000 / 1.05 = 285 714.29 -> 285 714, so 14 286 (AED 142.86) of the total is VAT.
    const price = priceStay({
      currency: 'AED',
      timezone: 'Asia/Dubai',
      start: new Date('2026-09-01T10:00:00+04:00'),
      end: new Date('2026-09-03T10:00:00+04:00'),
      rate: { unit: 'day', amount: 150_000 },
      seasons: [],
      tier: { code: 'standard', multiplierBps: 10_000 },
      tax: { name: 'VAT', rateBps: 500, inclusive: true },
    });
    expect(price.total).toBe(300_000);
    const tax = price.lines.find((l) => l.code === 'tax');
    expect(tax).toEqual({ code: 'tax', description: 'VAT 5 % included: AED\u00a0142.86', amount: 0 });
  });

  it('tops a short jet flight up to the minimum charge before the tier applies', () => {
    // USD 9,000.00 an hour, minimum USD 27,000.00: a 50-minute hop is 1 started hour = 900 000,
    // topped up by 1 800 000 to 2 700 000; premium 1.3 -> 3 510 000 (tier 810 000).
    const price = priceStay({
      currency: 'USD',
      timezone: 'Asia/Dubai',
      start: new Date('2026-09-01T10:00:00+04:00'),
      end: new Date('2026-09-01T10:50:00+04:00'),
      rate: { unit: 'hour', amount: 900_000, minimumCharge: 2_700_000 },
      seasons: [],
      tier: { code: 'premium', multiplierBps: 13_000 },
    });
    expect(amounts(price.lines)).toEqual({ base: 900_000, minimum: 1_800_000, tier: 810_000 });
    expect(price.total).toBe(3_510_000);
  });

  it('charges a day that lasts 25 hours at the autumn DST change-over as one day', () => {
    // 24 Oct 10:00 (UTC+2) to 25 Oct 10:00 (UTC+1) in Monaco is 25 real hours but one calendar day.
    const price = priceStay({
      currency: 'EUR',
      timezone: 'Europe/Monaco',
      start: new Date('2026-10-24T10:00:00+02:00'),
      end: new Date('2026-10-25T10:00:00+01:00'),
      rate: { unit: 'day', amount: 50_000 },
      seasons: [],
      tier: { code: 'standard', multiplierBps: 10_000 },
    });
    expect(price.units).toBe(1);
    expect(price.total).toBe(50_000);
  });

  it('charges the real hours of a night across the autumn DST change-over', () => {
    // 24 Oct 22:00 (UTC+2) to 25 Oct 06:00 (UTC+1) is 9 real hours although the clock shows 8:
    // 2 hours on 24 Oct and 7 on 25 Oct, at EUR 1,000.00 = 900 000.
    const price = priceStay({
      currency: 'EUR',
      timezone: 'Europe/Monaco',
      start: new Date('2026-10-24T22:00:00+02:00'),
      end: new Date('2026-10-25T06:00:00+01:00'),
      rate: { unit: 'hour', amount: 100_000 },
      seasons: [],
      tier: { code: 'standard', multiplierBps: 10_000 },
    });
    expect(price.units).toBe(9);
    expect(price.total).toBe(900_000);
  });

  it('prices flat and per-unit add-ons without tier or season multipliers', () => {
    // 3 days × 100 000 in peak 1.5 = 450 000 rental; VVIP 1.8 -> 810 000
    // airport transfer flat 1 × 20 000; chauffeur per day 1 × 3 days × 30 000 = 90 000; total 920 000
    const price = priceStay({
      currency: 'EUR',
      timezone: 'Europe/Monaco',
      start: new Date('2026-07-10T09:00:00+02:00'),
      end: new Date('2026-07-13T09:00:00+02:00'),
      rate: { unit: 'day', amount: 100_000 },
      seasons: monacoSeasons,
      tier: { code: 'vvip', multiplierBps: 18_000 },
      addOns: [
        { code: 'airport_transfer', name: 'Airport transfer', pricing: 'flat', amount: 20_000, quantity: 1 },
        { code: 'chauffeur', name: 'Chauffeur', pricing: 'per_unit', amount: 30_000, quantity: 1 },
      ],
    });
    expect(amounts(price.lines)).toEqual({
      base: 300_000,
      season: 150_000,
      tier: 360_000,
      'addon:airport_transfer': 20_000,
      'addon:chauffeur': 90_000,
    });
    expect(price.total).toBe(920_000);
  });
});
