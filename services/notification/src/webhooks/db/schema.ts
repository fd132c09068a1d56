/** Drizzle view of the webhook tables in the notification schema (the SQL migration is the source of truth). */
import { bigint, bigserial, boolean, integer, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { WebhookEventType } from '@midas/contracts';
import { notification } from '../../db/schema';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const webhookSubscriptions = notification.table('webhook_subscriptions', {
  id: uuid('id').primaryKey(),
  seq: bigserial('seq', { mode: 'number' }).notNull(),
  url: text('url').notNull(),
  events: text('events').array().$type<WebhookEventType[]>().notNull(),
  description: text('description'),
  includePersonalData: boolean('include_personal_data').notNull(),
  active: boolean('active').notNull(),
  secretSealed: text('secret_sealed').notNull(),
  previousSecretSealed: text('previous_secret_sealed'),
  previousSecretExpiresAt: at('previous_secret_expires_at'),
  consecutiveFailures: integer('consecutive_failures').notNull(),
  failingSince: at('failing_since'),
  disabledAt: at('disabled_at'),
  disabledReason: text('disabled_reason'),
  createdBy: text('created_by'),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
});
export type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;

export const webhookBookingSequences = notification.table('webhook_booking_sequences', {
  bookingId: uuid('booking_id').primaryKey(),
  lastSequence: bigint('last_sequence', { mode: 'number' }).notNull(),
});

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

export const webhookDeliveries = notification.table('webhook_deliveries', {
  id: uuid('id').primaryKey(),
  seq: bigserial('seq', { mode: 'number' }).notNull(),
  subscriptionId: uuid('subscription_id').notNull(),
  eventId: uuid('event_id').notNull(),
  eventType: text('event_type').notNull(),
  bookingId: uuid('booking_id').notNull(),
  sequence: bigint('sequence', { mode: 'number' }).notNull(),
  body: text('body').notNull(),
  status: text('status', { enum: WEBHOOK_DELIVERY_STATUSES }).notNull(),
  attempts: integer('attempts').notNull(),
  replays: integer('replays').notNull(),
  responseStatus: integer('response_status'),
  latencyMs: integer('latency_ms'),
  error: text('error'),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
  deliveredAt: at('delivered_at'),
});
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export const webhookAttempts = notification.table('webhook_attempts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  deliveryId: uuid('delivery_id').notNull(),
  attempt: integer('attempt').notNull(),
  replay: integer('replay').notNull(),
  responseStatus: integer('response_status'),
  latencyMs: integer('latency_ms').notNull(),
  error: text('error'),
  at: at('at').notNull().defaultNow(),
});
