/** Drizzle description of the booking schema; migrations/0000_init.sql is the source of truth for constraints. */
import {
  bigint,
  bigserial,
  boolean,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { ITEM_TYPES, TIERS, type BookingStatus } from '@midas/contracts';

export const bookingSchema = pgSchema('booking');
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const money = (name: string) => bigint(name, { mode: 'number' });
/** When a row was created and last changed, kept alike by every table whose rows change. */
const timestamps = {
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
};

export interface PriceLine {
  code: string;
  description: string;
  amount: number;
}
export interface AddOn {
  code: string;
  quantity?: number;
}

export const bookings = bookingSchema.table('bookings', {
  id: uuid('id').primaryKey(),
  status: text('status').$type<BookingStatus>().notNull(),
  itemId: uuid('item_id').notNull(),
  itemType: text('item_type', { enum: ITEM_TYPES }).notNull(),
  itemName: text('item_name').notNull(),
  location: text('location').notNull(),
  timezone: text('timezone').notNull(),
  startAt: instant('start_at').notNull(),
  endAt: instant('end_at').notNull(),
  tier: text('tier', { enum: TIERS }).notNull(),
  addOns: jsonb('add_ons').$type<AddOn[]>().notNull(),
  currency: text('currency').notNull(),
  total: money('total').notNull(),
  priceLines: jsonb('price_lines').$type<PriceLine[]>().notNull(),
  quoteId: uuid('quote_id'),
  holdId: uuid('hold_id'),
  holdExpiresAt: instant('hold_expires_at'),
  customerId: text('customer_id'),
  guestName: text('guest_name'),
  guestEmail: text('guest_email'),
  guestPhone: text('guest_phone'),
  contactFromProfile: boolean('contact_from_profile').notNull().default(false),
  accessTokenHash: text('access_token_hash'),
  conciergeId: text('concierge_id'),
  unassignedAlertedAt: instant('unassigned_alerted_at'),
  /** Set when its personal data was erased (migrations/0007_personal_data_erasure.sql). */
  erasedAt: instant('erased_at'),
  paymentProvider: text('payment_provider').notNull(),
  /** While a change of the booking does its remote work (migrations/0012_change_claims.sql). */
  changeClaimedUntil: instant('change_claimed_until'),
  version: integer('version').notNull().default(0),
  ...timestamps,
});
export type BookingRow = typeof bookings.$inferSelect;

export const statusHistory = bookingSchema.table('status_history', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  bookingId: uuid('booking_id').notNull(),
  fromStatus: text('from_status').$type<BookingStatus>(),
  toStatus: text('to_status').$type<BookingStatus>().notNull(),
  actorRole: text('actor_role').notNull(),
  actorId: text('actor_id'),
  reason: text('reason'),
  details: jsonb('details').$type<Record<string, unknown>>(),
  at: instant('at').notNull().defaultNow(),
});

export type PaymentKind = 'charge' | 'refund' | 'deposit';
export type PaymentPurpose =
  'booking' | 'modification' | 'cancellation' | 'no_show' | 'slot_lost' | 'late_payment' | 'deposit';
/**
 * `dead_lettered`: a refund the provider failed REFUND_MAX_ATTEMPTS times, waiting for staff (migrations/0008).
 * `declined`: a deposit authorisation the card refused, waiting for staff or the guest (migrations/0010).
 */
export type PaymentStatus =
  'pending' | 'authorized' | 'succeeded' | 'failed' | 'cancelled' | 'dead_lettered' | 'declined';

export const payments = bookingSchema.table('payments', {
  id: uuid('id').primaryKey(),
  bookingId: uuid('booking_id').notNull(),
  kind: text('kind').$type<PaymentKind>().notNull(),
  purpose: text('purpose').$type<PaymentPurpose>().notNull(),
  provider: text('provider').notNull(),
  providerRef: text('provider_ref'),
  providerChargeRef: text('provider_charge_ref'),
  clientSecret: text('client_secret'),
  amount: money('amount').notNull(),
  currency: text('currency').notNull(),
  status: text('status').$type<PaymentStatus>().notNull(),
  capturedAmount: money('captured_amount'),
  refundOf: uuid('refund_of'),
  reason: text('reason'),
  requestedByRole: text('requested_by_role').notNull(),
  requestedById: text('requested_by_id'),
  createdAt: instant('created_at').notNull().defaultNow(),
  settledAt: instant('settled_at'),
  /** Visits of the refund repair sweep to a refund still pending, and when the next one is due. */
  repairAttempts: integer('repair_attempts').notNull().default(0),
  nextRepairAt: instant('next_repair_at'),
  /** Attempts of a refund the provider marked failed; the next attempt's idempotency key carries this number. */
  refundFailures: integer('refund_failures').notNull().default(0),
  /** Authorisation attempts of a deposit; the next attempt's idempotency key carries this number (migrations/0010). */
  authorizeAttempts: integer('authorize_attempts').notNull().default(0),
  /** When a deposit's current authorisation was made. */
  authorizedAt: instant('authorized_at'),
});
export type PaymentRow = typeof payments.$inferSelect;

export const paymentEvents = bookingSchema.table('payment_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  paymentId: uuid('payment_id').notNull(),
  bookingId: uuid('booking_id').notNull(),
  status: text('status').$type<PaymentStatus | 'attempt_failed'>().notNull(),
  amount: money('amount').notNull(),
  providerRef: text('provider_ref'),
  detail: text('detail'),
  actorRole: text('actor_role').notNull().default('system'),
  actorId: text('actor_id'),
  providerEventId: text('provider_event_id'),
  at: instant('at').notNull().defaultNow(),
});

export const webhookEvents = bookingSchema.table('webhook_events', {
  provider: text('provider').notNull(),
  eventId: text('event_id').notNull(),
  type: text('type').notNull(),
  receivedAt: instant('received_at').notNull().defaultNow(),
});

export const depositPolicies = bookingSchema.table('deposit_policies', {
  itemType: text('item_type', { enum: ITEM_TYPES }).notNull(),
  currency: text('currency').notNull(),
  amount: money('amount').notNull(),
  minTotal: money('min_total').notNull(),
});

export const customers = bookingSchema.table('customers', {
  id: text('id').primaryKey(),
  tier: text('tier', { enum: TIERS }).notNull().default('standard'),
  points: money('points').notNull().default(0),
  lifetimeValues: jsonb('lifetime_values').$type<Record<string, number>>().notNull().default({}),
  /** migrations/0009_loyalty_booking_history.sql */
  completedBookings: integer('completed_bookings').notNull().default(0),
  ...timestamps,
});

/** migrations/0011_points_redemptions.sql: points a booking redeemed, and when they came back. */
export const pointsRedemptions = bookingSchema.table('points_redemptions', {
  bookingId: uuid('booking_id').primaryKey(),
  customerId: text('customer_id').notNull(),
  points: money('points').notNull(),
  redeemedAt: instant('redeemed_at').notNull().defaultNow(),
  restoredAt: instant('restored_at'),
  restoredReason: text('restored_reason'),
});
export type PointsRedemptionRow = typeof pointsRedemptions.$inferSelect;

export const customerProfiles = bookingSchema.table('customer_profiles', {
  customerId: text('customer_id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull(),
  phone: text('phone'),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});
export type CustomerProfileRow = typeof customerProfiles.$inferSelect;

export const loyaltyTiers = bookingSchema.table('loyalty_tiers', {
  tier: text('tier', { enum: TIERS }).notNull(),
  currency: text('currency').notNull(),
  minLifetimeValue: money('min_lifetime_value').notNull(),
  pointsPermille: integer('points_permille').notNull(),
  minCompletedBookings: integer('min_completed_bookings'),
});

export const concierges = bookingSchema.table('concierges', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull(),
  location: text('location').notNull(),
  capacity: integer('capacity').notNull(),
  active: boolean('active').notNull().default(true),
  activeAssignments: integer('active_assignments').notNull().default(0),
  ...timestamps,
});
export type ConciergeRow = typeof concierges.$inferSelect;

export const assignments = bookingSchema.table('assignments', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  bookingId: uuid('booking_id').notNull(),
  conciergeId: text('concierge_id').notNull(),
  reason: text('reason').notNull(),
  assignedAt: instant('assigned_at').notNull().defaultNow(),
  releasedAt: instant('released_at'),
});

export const idempotencyKeys = bookingSchema.table('idempotency_keys', {
  scope: text('scope').notNull(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  resourceId: uuid('resource_id').notNull(),
  state: text('state').$type<'in_progress' | 'done'>().notNull(),
  responseStatus: integer('response_status'),
  responseBody: jsonb('response_body'),
  lockedAt: instant('locked_at').notNull().defaultNow(),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export const modifications = bookingSchema.table('modifications', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  bookingId: uuid('booking_id').notNull(),
  actorRole: text('actor_role').notNull(),
  actorId: text('actor_id'),
  before: jsonb('before').$type<Record<string, unknown>>().notNull(),
  after: jsonb('after').$type<Record<string, unknown>>().notNull(),
  priceDifference: money('price_difference').notNull(),
  at: instant('at').notNull().defaultNow(),
});

export const communications = bookingSchema.table('communications', {
  id: uuid('id').primaryKey(),
  bookingId: uuid('booking_id').notNull(),
  channel: text('channel').notNull(),
  template: text('template').notNull(),
  recipient: text('recipient').notNull(),
  status: text('status').notNull(),
  providerMessageId: text('provider_message_id'),
  attempts: integer('attempts').notNull(),
  at: instant('at').notNull().defaultNow(),
});

/** Outside events in an item's Google calendar over a booking (migrations/0003_calendar_conflicts.sql). */
export const calendarConflicts = bookingSchema.table(
  'calendar_conflicts',
  {
    bookingId: uuid('booking_id').notNull(),
    calendarId: text('calendar_id').notNull(),
    googleEventId: text('google_event_id').notNull(),
    startAt: instant('start_at').notNull(),
    endAt: instant('end_at').notNull(),
    summary: text('summary').notNull(),
    at: instant('at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.bookingId, t.googleEventId, t.startAt, t.endAt] })],
);

export const items = bookingSchema.table('items', {
  id: uuid('id').primaryKey(),
  type: text('type', { enum: ITEM_TYPES }).notNull(),
  name: text('name').notNull(),
  location: text('location').notNull(),
  timezone: text('timezone').notNull(),
  currency: text('currency').notNull(),
  active: boolean('active').notNull(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export const holdsSeen = bookingSchema.table('holds_seen', {
  holdId: uuid('hold_id').primaryKey(),
  itemId: uuid('item_id').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});

export type PendingChangeStatus = 'pending' | 'applied' | 'lapsed' | 'withdrawn';

/** Changes that raise the price, waiting for their difference (migrations/0006_pending_changes.sql). */
export const pendingChanges = bookingSchema.table('pending_changes', {
  id: uuid('id').primaryKey(),
  bookingId: uuid('booking_id').notNull(),
  paymentId: uuid('payment_id').notNull(),
  status: text('status').$type<PendingChangeStatus>().notNull(),
  startAt: instant('start_at').notNull(),
  endAt: instant('end_at').notNull(),
  addOns: jsonb('add_ons').$type<AddOn[]>().notNull(),
  total: money('total').notNull(),
  priceLines: jsonb('price_lines').$type<PriceLine[]>().notNull(),
  quoteId: uuid('quote_id'),
  /** `none` (add-ons only), `hold` (a separate hold, hold_id) or `span` (the booking's slot stretched). */
  slot: text('slot').$type<'none' | 'hold' | 'span'>().notNull(),
  holdId: uuid('hold_id'),
  actorRole: text('actor_role').notNull(),
  actorId: text('actor_id'),
  expiresAt: instant('expires_at').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  settledAt: instant('settled_at'),
});
export type PendingChangeRow = typeof pendingChanges.$inferSelect;
