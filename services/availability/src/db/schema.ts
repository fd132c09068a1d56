/** Drizzle view of the availability schema (the SQL migrations are the source of truth). */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  customType,
  integer,
  jsonb,
  pgSchema,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { ITEM_TYPES } from '@midas/contracts';

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
  rateAmount: bigint('rate_amount', { mode: 'number' }).notNull(),
  bufferMinutes: integer('buffer_minutes').notNull(),
  minNoticeMinutes: integer('min_notice_minutes').notNull(),
  minDuration: text('min_duration').notNull(),
  maxDuration: text('max_duration').notNull(),
  active: boolean('active').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
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
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
  active: boolean('active').notNull(),
  endedReason: text('ended_reason'),
  endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }),
  note: text('note'),
  createdBy: text('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export const holdRequests = availability.table('hold_requests', {
  scope: text('scope').notNull(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  status: integer('status'),
  response: jsonb('response'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export const schema = { items, allocations, holdRequests };
export type AvailabilityDb = import('drizzle-orm/node-postgres').NodePgDatabase<typeof schema>;
