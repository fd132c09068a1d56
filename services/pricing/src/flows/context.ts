/** What the pricing use cases need from the outside world, so tests and the service wire them the same way. */
import { createDb, type Pool } from '@midas/db';
import type { Logger } from '@midas/observability';
import type { ItemSnapshot, Tier } from '@midas/contracts';
import { schema, type PricingDb } from '../db/schema';

/** Asks availability for an item pricing has no copy of yet; undefined when availability does not know it. */
export type ItemFetcher = (itemId: string) => Promise<ItemSnapshot | undefined>;

/** Asks booking for a customer's loyalty tier and unspent points. */
export type LoyaltyFetcher = (customerId: string) => Promise<{ tier: Tier; points: number }>;

export interface FlowContext {
  db: PricingDb;
  /** The pool under `db`, for the hot-path statements prepared by name. */
  pool: Pool;
  now: () => Date;
  /** How long a quote locks its price. */
  quoteTtlMs: number;
  fetchItem?: ItemFetcher;
  /** Without it, public quotes carry no loyalty perk and take no points. */
  loyaltyOf?: LoyaltyFetcher;
  logger?: Logger;
}

/** Long enough to outlive a hold (HOLD_TTL_SECONDS, 15 min by default), so a booking made in time keeps its quote. */
export const DEFAULT_QUOTE_TTL_MS = 30 * 60_000;

export function createFlowContext(
  pool: Pool,
  overrides: Partial<Omit<FlowContext, 'db' | 'pool'>> = {},
): FlowContext {
  return {
    db: createDb(pool, schema),
    pool,
    now: () => new Date(),
    quoteTtlMs: DEFAULT_QUOTE_TTL_MS,
    ...overrides,
  };
}
