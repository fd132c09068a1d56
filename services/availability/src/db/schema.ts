/** Drizzle view of the availability schema (the SQL migrations are the source of truth). */
import { sql } from 'drizzle-orm';
import { boolean, char, customType, integer, jsonb, pgSchema, text, uuid } from 'drizzle-orm/pg-core';
import { ITEM_TYPES } from '@midas/contracts';
import { amount, instant } from '@midas/db';

export const availability = pgSchema('availability');

/** Ranges are written and read through SQL (lower/upper, tstzrange()), never parsed in JS. */
const tstzrange = customType<{ data: string }>({ dataType: () => 'tstzrange' });

export const items = availability.table('items', {
  id: uuid('id')
    .primaryKey()
    .default(sql`gen_random_uuid()`),
  type: text('type', { enum: ITEM_TYPES }).notNull(),
  name: text('name').notNull(),
  location: text('location').notNull(),
  timezone: text('timezone').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  rateUnit: text('rate_unit', { enum: ['hour', 'day', 'night'] }).notNull(),
  rateAmount: amount('rate_amount').notNull(),
  bufferMinutes: integer('buffer_minutes').notNull(),
  minNoticeMinutes: integer('min_notice_minutes').notNull(),
  minDuration: text('min_duration').notNull(),
  maxDuration: text('max_duration').notNull(),
  active: boolean('active').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});
export type ItemRow = typeof items.$inferSelect;

export const allocations = availability.table('allocations', {
  id: uuid('id')
    .primaryKey()
    .default(sql`gen_random_uuid()`),
  itemId: uuid('item_id').notNull(),
  kind: text('kind', { enum: ['hold', 'booking', 'blackout'] }).notNull(),
  ref: text('ref'),
  holderSub: text('holder_sub'),
  holderTokenHash: text('holder_token_hash'),
  period: tstzrange('period').notNull(),
  blocked: tstzrange('blocked').notNull(),
  expiresAt: instant('expires_at'),
  active: boolean('active').notNull(),
  endedReason: text('ended_reason'),
  endedAt: instant('ended_at'),
  note: text('note'),
  createdBy: text('created_by'),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export const holdRequests = availability.table('hold_requests', {
  scope: text('scope').notNull(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  status: integer('status'),
  response: jsonb('response'),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const schema = { items, allocations, holdRequests };
export type AvailabilityDb = import('drizzle-orm/node-postgres').NodePgDatabase<typeof schema>;
