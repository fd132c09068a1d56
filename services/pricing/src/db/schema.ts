/** Drizzle description of the pricing schema (the SQL in migrations/ is the source of truth). */
import { bigserial, boolean, char, integer, jsonb, pgSchema, text, uuid } from 'drizzle-orm/pg-core';
import { ITEM_TYPES, TIERS } from '@midas/contracts';
import { amount, instant } from '@midas/db';

export const pricing = pgSchema('pricing');

export const items = pricing.table('items', {
  id: uuid('id').primaryKey(),
  type: text('type', { enum: ITEM_TYPES }).notNull(),
  name: text('name').notNull(),
  location: text('location').notNull(),
  timezone: text('timezone').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  rateUnit: text('rate_unit').notNull(),
  rateAmount: amount('rate_amount').notNull(),
  active: boolean('active').notNull(),
  sourceAt: instant('source_at').notNull(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export const rateCards = pricing.table('rate_cards', {
  itemId: uuid('item_id').primaryKey(),
  unit: text('unit'),
  amount: amount('amount'),
  dailyCap: amount('daily_cap'),
  minimumCharge: amount('minimum_charge'),
  locationAdjustmentBps: integer('location_adjustment_bps'),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export const seasons = pricing.table('seasons', {
  id: uuid('id').primaryKey().defaultRandom(),
  location: text('location').notNull(),
  name: text('name').notNull(),
  multiplierBps: integer('multiplier_bps').notNull(),
  recurring: boolean('recurring').notNull(),
  start: text('start').notNull(),
  end: text('end').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const tiers = pricing.table('tiers', {
  code: text('code', { enum: TIERS }).primaryKey(),
  multiplierBps: integer('multiplier_bps').notNull(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export const addOns = pricing.table('add_ons', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  itemType: text('item_type', { enum: ITEM_TYPES }).notNull(),
  location: text('location'),
  pricing: text('pricing').notNull(),
  amount: amount('amount').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  maxQuantity: integer('max_quantity').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const taxes = pricing.table('taxes', {
  location: text('location').primaryKey(),
  name: text('name').notNull(),
  rateBps: integer('rate_bps').notNull(),
  inclusive: boolean('inclusive').notNull(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export const locationAdjustments = pricing.table('location_adjustments', {
  id: uuid('id').primaryKey().defaultRandom(),
  location: text('location').notNull(),
  itemType: text('item_type', { enum: ITEM_TYPES }),
  description: text('description').notNull(),
  bps: integer('bps').notNull(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export interface StoredRefundWindow {
  minHoursBefore: number;
  refundBps: number;
}

export const refundPolicies = pricing.table('refund_policies', {
  itemType: text('item_type', { enum: ITEM_TYPES }).primaryKey(),
  windows: jsonb('windows').$type<StoredRefundWindow[]>().notNull(),
  processingFeeBps: integer('processing_fee_bps').notNull(),
  noShowRefundBps: integer('no_show_refund_bps').notNull(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export interface StoredQuoteLine {
  code: string;
  description: string;
  amount: number;
}

export const quotes = pricing.table('quotes', {
  id: uuid('id').primaryKey(),
  itemId: uuid('item_id').notNull(),
  start: instant('start').notNull(),
  end: instant('end').notNull(),
  tier: text('tier', { enum: TIERS }).notNull(),
  addOns: jsonb('add_ons').$type<{ code: string; quantity: number }[]>().notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  total: amount('total').notNull(),
  lines: jsonb('lines').$type<StoredQuoteLine[]>().notNull(),
  /** migrations/0002_points_rates.sql: loyalty points the `points` line redeems. */
  pointsRedeemed: integer('points_redeemed').notNull().default(0),
  expiresAt: instant('expires_at').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const auditLog = pricing.table('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: instant('at').notNull().defaultNow(),
  actor: text('actor').notNull(),
  actorRole: text('actor_role').notNull(),
  action: text('action').notNull(),
  entity: text('entity').notNull(),
  entityId: text('entity_id').notNull(),
  before: jsonb('before'),
  after: jsonb('after'),
});

export const schema = {
  items,
  rateCards,
  seasons,
  tiers,
  addOns,
  taxes,
  locationAdjustments,
  refundPolicies,
  quotes,
  auditLog,
};
export type PricingDb = import('drizzle-orm/node-postgres').NodePgDatabase<typeof schema>;
