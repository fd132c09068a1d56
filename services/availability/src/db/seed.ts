/** Demo inventory for a fresh database: a few of each kind of item in Monaco, Dubai and Aspen. */
import type { Pool } from 'pg';
import { createDb } from '@midas/db';
import type { ItemType } from '@midas/contracts';
import { DEFAULT_BUFFER_MINUTES, DEFAULT_DURATION_LIMITS } from '../domain/item-defaults';
import { hasItems } from './items';
import { items, schema } from './schema';

type Demo = [
  type: ItemType,
  name: string,
  location: string,
  timezone: string,
  currency: string,
  unit: 'hour' | 'day' | 'night',
  amount: number,
];

const DEMO: Demo[] = [
  ['car', 'Ferrari SF90 Stradale', 'Monaco', 'Europe/Monaco', 'EUR', 'day', 250_000],
  ['car', 'Rolls-Royce Cullinan', 'Dubai', 'Asia/Dubai', 'AED', 'day', 950_000],
  ['car', 'Range Rover Autobiography', 'Aspen', 'America/Denver', 'USD', 'day', 120_000],
  ['car', 'Lamborghini Revuelto', 'Dubai', 'Asia/Dubai', 'AED', 'hour', 180_000],
  ['yacht', 'Azzam Riviera 45m', 'Monaco', 'Europe/Monaco', 'EUR', 'day', 4_500_000],
  ['yacht', 'Sunseeker 76 Blue Pearl', 'Monaco', 'Europe/Monaco', 'EUR', 'hour', 350_000],
  ['yacht', 'Majesty 140 Gulf Star', 'Dubai', 'Asia/Dubai', 'AED', 'day', 9_000_000],
  ['jet', 'Gulfstream G650ER', 'Dubai', 'Asia/Dubai', 'USD', 'hour', 1_200_000],
  ['jet', 'Bombardier Global 7500', 'Monaco', 'Europe/Monaco', 'EUR', 'hour', 1_350_000],
  ['property', 'Villa La Réserve, Cap-Martin', 'Monaco', 'Europe/Monaco', 'EUR', 'night', 3_500_000],
  ['property', 'Palm Jumeirah Signature Villa', 'Dubai', 'Asia/Dubai', 'AED', 'night', 6_000_000],
  ['property', 'Red Mountain Ski Chalet', 'Aspen', 'America/Denver', 'USD', 'night', 2_800_000],
];

export async function seedDemoItems(pool: Pool): Promise<boolean> {
  const db = createDb(pool, schema);
  if (await hasItems(db)) return false;
  await db.insert(items).values(
    DEMO.map(([type, name, location, timezone, currency, rateUnit, rateAmount]) => ({
      type,
      name,
      location,
      timezone,
      currency,
      rateUnit,
      rateAmount,
      bufferMinutes: DEFAULT_BUFFER_MINUTES[type],
      minNoticeMinutes: type === 'jet' ? 240 : 60,
      ...DEFAULT_DURATION_LIMITS[type],
      active: true,
    })),
  );
  return true;
}
