/**
 * Demo pricing for the demo locations (Monaco, Dubai, Aspen): seasons, add-ons, taxes and location
 * adjustments, inserted only when no season exists yet. Tiers and refund policies come with the
 * migration, since every quote and refund needs them.
 */
import { sql } from 'drizzle-orm';
import type { ItemType } from '@midas/contracts';
import { createDb, type Pool } from '@midas/db';
import { addOns, locationAdjustments, schema, seasons, taxes } from './schema';

type SeasonSeed = [name: string, multiplierBps: number, start: string, end: string];
const PEAK = 15_000;
const HIGH = 12_500;
const STANDARD = 10_000;
const LOW = 8_500;

const LOCATIONS: {
  location: string;
  currency: string;
  perEuro: number;
  seasons: SeasonSeed[];
  oneOff?: SeasonSeed[];
}[] = [
  {
    location: 'Monaco',
    currency: 'EUR',
    perEuro: 1,
    seasons: [
      ['Winter low', LOW, '11-01', '03-31'],
      ['Spring', STANDARD, '04-01', '04-30'],
      ['Early summer high', HIGH, '05-01', '06-30'],
      ['Summer peak', PEAK, '07-01', '08-31'],
      ['Late summer high', HIGH, '09-01', '09-30'],
      ['Autumn', STANDARD, '10-01', '10-31'],
    ],
    oneOff: [['Grand Prix week', PEAK, '2027-05-24', '2027-05-30']],
  },
  {
    location: 'Dubai',
    currency: 'AED',
    perEuro: 4,
    seasons: [
      ['Festive peak', PEAK, '12-15', '01-10'],
      ['Winter high', HIGH, '01-11', '03-31'],
      ['Spring', STANDARD, '04-01', '05-31'],
      ['Summer low', LOW, '06-01', '09-30'],
      ['Autumn', STANDARD, '10-01', '10-31'],
      ['Early winter high', HIGH, '11-01', '12-14'],
    ],
  },
  {
    location: 'Aspen',
    currency: 'USD',
    perEuro: 1.1,
    seasons: [
      ['Holiday peak', PEAK, '12-20', '01-05'],
      ['Ski high', HIGH, '01-06', '03-31'],
      ['Mud season low', LOW, '04-01', '05-31'],
      ['Summer', STANDARD, '06-01', '08-31'],
      ['Autumn low', LOW, '09-01', '11-30'],
    ],
  },
];

/** [code, name, item type, pricing, euro cents, max quantity] */
const ADD_ONS: [string, string, ItemType, 'flat' | 'per_unit' | 'per_guest', number, number][] = [
  ['chauffeur', 'Chauffeur', 'car', 'per_unit', 35_000, 1],
  ['airport_transfer', 'Airport transfer', 'car', 'flat', 15_000, 2],
  ['crew', 'Additional crew member', 'yacht', 'per_unit', 8_000, 6],
  ['chef', 'Private chef', 'yacht', 'per_guest', 25_000, 12],
  ['catering', 'Catering', 'yacht', 'per_guest', 12_000, 50],
  ['airport_transfer', 'Airport transfer', 'yacht', 'flat', 15_000, 4],
  ['catering', 'In-flight catering', 'jet', 'per_guest', 18_000, 19],
  ['airport_transfer', 'Airport transfer', 'jet', 'flat', 15_000, 4],
  ['chef', 'Private chef', 'property', 'per_unit', 60_000, 1],
  ['catering', 'Catering', 'property', 'per_guest', 9_000, 40],
  ['airport_transfer', 'Airport transfer', 'property', 'flat', 15_000, 4],
];

const TAXES = [
  { location: 'Monaco', name: 'VAT', rateBps: 2_000, inclusive: false },
  { location: 'Dubai', name: 'VAT', rateBps: 500, inclusive: true },
  { location: 'Aspen', name: 'Sales tax', rateBps: 930, inclusive: false },
];

const LOCATION_ADJUSTMENTS: { location: string; itemType: ItemType; description: string; bps: number }[] = [
  { location: 'Monaco', itemType: 'yacht', description: 'Monaco harbour fee', bps: 500 },
  { location: 'Aspen', itemType: 'property', description: 'Aspen resort fee', bps: 300 },
];

/** Season rows of a location: recurring ones come back every year (MM-DD), the others once (dated). */
function seasonRows(location: string, recurring: boolean, list: SeasonSeed[] = []) {
  return list.map(([name, multiplierBps, start, end]) => ({
    location,
    name,
    multiplierBps,
    recurring,
    start,
    end,
  }));
}

export async function seedPricing(pool: Pool): Promise<boolean> {
  const db = createDb(pool, schema);
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('pricing:seed'))`);
    const [{ count }] = (
      await tx.execute<{ count: number }>(sql`SELECT count(*)::int AS count FROM pricing.seasons`)
    ).rows as [{ count: number }];
    if (count > 0) return false;
    for (const loc of LOCATIONS) {
      await tx
        .insert(seasons)
        .values([
          ...seasonRows(loc.location, true, loc.seasons),
          ...seasonRows(loc.location, false, loc.oneOff),
        ]);
      await tx.insert(addOns).values(
        ADD_ONS.map(([code, name, itemType, pricing, euroCents, maxQuantity]) => ({
          code,
          name,
          itemType,
          location: loc.location,
          pricing,
          // Whole currency units, so the demo prices look like list prices.
          amount: Math.round((euroCents * loc.perEuro) / 100) * 100,
          currency: loc.currency,
          maxQuantity,
        })),
      );
    }
    await tx.insert(taxes).values(TAXES);
    await tx.insert(locationAdjustments).values(LOCATION_ADJUSTMENTS);
    return true;
  });
}
