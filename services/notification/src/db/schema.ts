/** Drizzle view of the notification schema (the SQL migrations are the source of truth). */
import { bigserial, integer, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const notification = pgSchema('notification');

export const COMMUNICATION_STATUSES = ['pending', 'sent', 'logged', 'failed'] as const;
export type CommunicationStatus = (typeof COMMUNICATION_STATUSES)[number];

export const communications = notification.table('communications', {
  id: uuid('id').primaryKey(),
  seq: bigserial('seq', { mode: 'number' }).notNull(),
  eventId: uuid('event_id').notNull(),
  eventType: text('event_type').notNull(),
  bookingId: uuid('booking_id').notNull(),
  template: text('template').notNull(),
  channel: text('channel', { enum: ['email', 'log'] }).notNull(),
  recipient: text('recipient').notNull(),
  subject: text('subject').notNull(),
  html: text('html').notNull(),
  bodyText: text('body_text').notNull(),
  status: text('status', { enum: COMMUNICATION_STATUSES }).notNull(),
  providerMessageId: text('provider_message_id'),
  transport: text('transport'),
  attempts: integer('attempts').notNull(),
  error: text('error'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
});
export type CommunicationRow = typeof communications.$inferSelect;

export const deliveryAttempts = notification.table('delivery_attempts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  communicationId: uuid('communication_id').notNull(),
  attempt: integer('attempt').notNull(),
  transport: text('transport').notNull(),
  outcome: text('outcome', { enum: ['accepted', 'failed'] }).notNull(),
  providerMessageId: text('provider_message_id'),
  error: text('error'),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** The item location and assigned concierge of a booking, from the latest event consumed about it. */
export const bookingScopes = notification.table('booking_scopes', {
  bookingId: uuid('booking_id').primaryKey(),
  location: text('location').notNull(),
  conciergeId: text('concierge_id'),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
export type BookingScopeRow = typeof bookingScopes.$inferSelect;

/** Bookings whose personal data was erased (migrations/0003_erased_bookings.sql). */
export const erasedBookings = notification.table('erased_bookings', {
  bookingId: uuid('booking_id').primaryKey(),
  erasedAt: timestamp('erased_at', { withTimezone: true, mode: 'date' }).notNull(),
});
