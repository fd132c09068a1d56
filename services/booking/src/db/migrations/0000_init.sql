CREATE TABLE IF NOT EXISTS "booking"."service_info" (
  "key" text PRIMARY KEY,
  "value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "booking"."bookings" (
  "id" uuid PRIMARY KEY,
  "status" text NOT NULL CHECK ("status" IN ('pending_payment', 'confirmed', 'concierge_assigned', 'ready', 'in_progress',
    'completed', 'cancelled', 'refunded', 'expired', 'no_show')),
  "item_id" uuid NOT NULL,
  "item_type" text NOT NULL,
  "item_name" text NOT NULL,
  "location" text NOT NULL,
  "timezone" text NOT NULL,
  "start_at" timestamptz NOT NULL,
  "end_at" timestamptz NOT NULL,
  "tier" text NOT NULL,
  "add_ons" jsonb NOT NULL DEFAULT '[]',
  "currency" char(3) NOT NULL,
  "total" bigint NOT NULL CHECK ("total" >= 0),
  "price_lines" jsonb NOT NULL,
  "quote_id" uuid,
  "hold_id" uuid,
  "hold_expires_at" timestamptz,
  "customer_id" text,
  "guest_name" text,
  "guest_email" text,
  "guest_phone" text,
  "access_token_hash" text,
  "concierge_id" text,
  "payment_provider" text NOT NULL,
  "version" integer NOT NULL DEFAULT 0,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "bookings_period" CHECK ("end_at" > "start_at"),
  -- Every booking belongs to an account or carries the guest's contact details.
  CONSTRAINT "bookings_owner" CHECK ("customer_id" IS NOT NULL OR ("guest_email" IS NOT NULL AND "access_token_hash" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_hold_idx" ON "booking"."bookings" ("hold_id") WHERE "hold_id" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "bookings_created_idx" ON "booking"."bookings" ("created_at" DESC, "id" DESC);
--> statement-breakpoint
CREATE INDEX "bookings_customer_idx" ON "booking"."bookings" ("customer_id", "created_at" DESC, "id" DESC);
--> statement-breakpoint
CREATE INDEX "bookings_concierge_idx" ON "booking"."bookings" ("concierge_id", "created_at" DESC);
--> statement-breakpoint
CREATE INDEX "bookings_location_idx" ON "booking"."bookings" ("location", "created_at" DESC);
--> statement-breakpoint
CREATE INDEX "bookings_item_idx" ON "booking"."bookings" ("item_id", "start_at");
--> statement-breakpoint
CREATE INDEX "bookings_start_idx" ON "booking"."bookings" ("start_at");
--> statement-breakpoint
CREATE TABLE "booking"."status_history" (
  "id" bigserial PRIMARY KEY,
  "booking_id" uuid NOT NULL REFERENCES "booking"."bookings" ("id"),
  "from_status" text,
  "to_status" text NOT NULL,
  "actor_role" text NOT NULL,
  "actor_id" text,
  "reason" text,
  "details" jsonb,
  "at" timestamptz NOT NULL DEFAULT clock_timestamp()
);
--> statement-breakpoint
CREATE INDEX "status_history_booking_idx" ON "booking"."status_history" ("booking_id", "at");
--> statement-breakpoint
CREATE INDEX "status_history_to_idx" ON "booking"."status_history" ("to_status", "booking_id");
--> statement-breakpoint
CREATE TABLE "booking"."payments" (
  "id" uuid PRIMARY KEY,
  "booking_id" uuid NOT NULL REFERENCES "booking"."bookings" ("id"),
  -- A deposit is an authorisation held on the guest's card, captured or released by staff at the end.
  "kind" text NOT NULL CHECK ("kind" IN ('charge', 'refund', 'deposit')),
  -- Why the money moves: the booking itself, a change of dates or add-ons, a cancellation,
  -- a no-show settlement, a slot lost before payment, a payment that arrived too late, or the
  -- security deposit.
  "purpose" text NOT NULL CHECK ("purpose" IN ('booking', 'modification', 'cancellation', 'no_show', 'slot_lost', 'late_payment', 'deposit')),
  "provider" text NOT NULL,
  "provider_ref" text,
  -- The provider's id of the settled money movement when refunds go against it (PayPal's capture).
  "provider_charge_ref" text,
  "client_secret" text,
  "amount" bigint NOT NULL CHECK ("amount" >= 0),
  "currency" char(3) NOT NULL,
  -- `authorized`: a deposit held and not yet captured or released.
  "status" text NOT NULL CHECK ("status" IN ('pending', 'authorized', 'succeeded', 'failed', 'cancelled')),
  -- For a captured deposit: how much of the authorisation was taken.
  "captured_amount" bigint CHECK ("captured_amount" >= 0 AND "captured_amount" <= "amount"),
  -- For a refund: the charge it gives money back from.
  "refund_of" uuid REFERENCES "booking"."payments" ("id"),
  "reason" text,
  "requested_by_role" text NOT NULL,
  "requested_by_id" text,
  "created_at" timestamptz NOT NULL DEFAULT clock_timestamp(),
  "settled_at" timestamptz
);
--> statement-breakpoint
CREATE INDEX "payments_booking_idx" ON "booking"."payments" ("booking_id");
--> statement-breakpoint
CREATE UNIQUE INDEX "payments_provider_ref_idx" ON "booking"."payments" ("provider", "provider_ref") WHERE "provider_ref" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "payments_settled_idx" ON "booking"."payments" ("settled_at") WHERE "status" = 'succeeded';
--> statement-breakpoint
CREATE INDEX "payments_refund_of_idx" ON "booking"."payments" ("refund_of") WHERE "refund_of" IS NOT NULL;
--> statement-breakpoint
-- Every status a payment went through, with the provider event that told us when there was one;
-- failed attempts are kept here while the payment itself stays pending for a retry.
CREATE TABLE "booking"."payment_events" (
  "id" bigserial PRIMARY KEY,
  "payment_id" uuid NOT NULL REFERENCES "booking"."payments" ("id"),
  "booking_id" uuid NOT NULL REFERENCES "booking"."bookings" ("id"),
  "status" text NOT NULL CHECK ("status" IN ('pending', 'authorized', 'succeeded', 'failed', 'cancelled', 'attempt_failed')),
  "amount" bigint NOT NULL,
  "provider_ref" text,
  "detail" text,
  -- Who moved it: the requester for a new payment, staff for a deposit's capture, else the system.
  "actor_role" text NOT NULL DEFAULT 'system',
  "actor_id" text,
  -- One row per provider event, so a replayed webhook records nothing twice.
  "provider_event_id" text UNIQUE,
  "at" timestamptz NOT NULL DEFAULT clock_timestamp()
);
--> statement-breakpoint
CREATE INDEX "payment_events_booking_idx" ON "booking"."payment_events" ("booking_id", "at");
--> statement-breakpoint
-- Provider webhooks already handled (inbox): a redelivered event is acknowledged and skipped.
CREATE TABLE "booking"."webhook_events" (
  "provider" text NOT NULL,
  "event_id" text NOT NULL,
  "type" text NOT NULL,
  "received_at" timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY ("provider", "event_id")
);
--> statement-breakpoint
CREATE INDEX "webhook_events_received_idx" ON "booking"."webhook_events" ("received_at");
--> statement-breakpoint
-- Security deposits as data: a booking of this item type and currency whose total reaches
-- `min_total` is asked for a separate authorisation of `amount`.
CREATE TABLE "booking"."deposit_policies" (
  "item_type" text NOT NULL CHECK ("item_type" IN ('car', 'yacht', 'jet', 'property')),
  "currency" char(3) NOT NULL,
  "amount" bigint NOT NULL CHECK ("amount" > 0),
  "min_total" bigint NOT NULL DEFAULT 0 CHECK ("min_total" >= 0),
  PRIMARY KEY ("item_type", "currency")
);
--> statement-breakpoint
INSERT INTO "booking"."deposit_policies" ("item_type", "currency", "amount", "min_total") VALUES
  ('car', 'EUR', 500000, 1500000), ('yacht', 'EUR', 2000000, 0), ('jet', 'EUR', 2500000, 0), ('property', 'EUR', 1000000, 2000000),
  ('car', 'USD', 550000, 1650000), ('yacht', 'USD', 2200000, 0), ('jet', 'USD', 2750000, 0), ('property', 'USD', 1100000, 2200000),
  ('car', 'GBP', 430000, 1300000), ('yacht', 'GBP', 1700000, 0), ('jet', 'GBP', 2150000, 0), ('property', 'GBP', 860000, 1700000),
  ('car', 'CHF', 480000, 1450000), ('yacht', 'CHF', 1900000, 0), ('jet', 'CHF', 2400000, 0), ('property', 'CHF', 960000, 1900000),
  ('car', 'AED', 2000000, 6000000), ('yacht', 'AED', 8000000, 0), ('jet', 'AED', 10000000, 0), ('property', 'AED', 4000000, 8000000);
--> statement-breakpoint
CREATE TABLE "booking"."customers" (
  "id" text PRIMARY KEY,
  "tier" text NOT NULL DEFAULT 'standard' CHECK ("tier" IN ('standard', 'premium', 'vvip')),
  "points" bigint NOT NULL DEFAULT 0 CHECK ("points" >= 0),
  "lifetime_values" jsonb NOT NULL DEFAULT '{}',
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "booking"."loyalty_tiers" (
  "tier" text NOT NULL CHECK ("tier" IN ('standard', 'premium', 'vvip')),
  "currency" char(3) NOT NULL,
  "min_lifetime_value" bigint NOT NULL CHECK ("min_lifetime_value" >= 0),
  "points_permille" integer NOT NULL CHECK ("points_permille" > 0),
  PRIMARY KEY ("tier", "currency")
);
--> statement-breakpoint
INSERT INTO "booking"."loyalty_tiers" ("tier", "currency", "min_lifetime_value", "points_permille") VALUES
  ('standard', 'EUR', 0, 1000), ('premium', 'EUR', 5000000, 1300), ('vvip', 'EUR', 25000000, 1800),
  ('standard', 'USD', 0, 1000), ('premium', 'USD', 5500000, 1300), ('vvip', 'USD', 27500000, 1800),
  ('standard', 'GBP', 0, 1000), ('premium', 'GBP', 4300000, 1300), ('vvip', 'GBP', 21500000, 1800),
  ('standard', 'CHF', 0, 1000), ('premium', 'CHF', 4800000, 1300), ('vvip', 'CHF', 24000000, 1800),
  ('standard', 'AED', 0, 1000), ('premium', 'AED', 20000000, 1300), ('vvip', 'AED', 100000000, 1800);
--> statement-breakpoint
CREATE TABLE "booking"."concierges" (
  "id" text PRIMARY KEY,
  "name" text NOT NULL,
  "email" text NOT NULL,
  "location" text NOT NULL,
  "capacity" integer NOT NULL CHECK ("capacity" >= 0),
  "active" boolean NOT NULL DEFAULT true,
  -- Kept in the same transactions that open and close assignments, so choosing is one indexed read.
  "active_assignments" integer NOT NULL DEFAULT 0 CHECK ("active_assignments" >= 0),
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX "concierges_location_idx" ON "booking"."concierges" ("location") WHERE "active";
--> statement-breakpoint
CREATE TABLE "booking"."assignments" (
  "id" bigserial PRIMARY KEY,
  "booking_id" uuid NOT NULL REFERENCES "booking"."bookings" ("id"),
  "concierge_id" text NOT NULL REFERENCES "booking"."concierges" ("id"),
  "reason" text NOT NULL,
  "assigned_at" timestamptz NOT NULL DEFAULT clock_timestamp(),
  "released_at" timestamptz
);
--> statement-breakpoint
CREATE UNIQUE INDEX "assignments_open_idx" ON "booking"."assignments" ("booking_id") WHERE "released_at" IS NULL;
--> statement-breakpoint
CREATE TABLE "booking"."idempotency_keys" (
  "scope" text NOT NULL,
  "key" text NOT NULL,
  "request_hash" text NOT NULL,
  -- The id the request creates, fixed when the key is first seen so a retry after a crash finds it.
  "resource_id" uuid NOT NULL,
  "state" text NOT NULL CHECK ("state" IN ('in_progress', 'done')),
  "response_status" integer,
  "response_body" jsonb,
  "locked_at" timestamptz NOT NULL DEFAULT clock_timestamp(),
  "created_at" timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY ("scope", "key")
);
--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "booking"."idempotency_keys" ("created_at");
--> statement-breakpoint
CREATE TABLE "booking"."modifications" (
  "id" bigserial PRIMARY KEY,
  "booking_id" uuid NOT NULL REFERENCES "booking"."bookings" ("id"),
  "actor_role" text NOT NULL,
  "actor_id" text,
  "before" jsonb NOT NULL,
  "after" jsonb NOT NULL,
  "price_difference" bigint NOT NULL,
  "at" timestamptz NOT NULL DEFAULT clock_timestamp()
);
--> statement-breakpoint
CREATE INDEX "modifications_booking_idx" ON "booking"."modifications" ("booking_id", "at");
--> statement-breakpoint
CREATE TABLE "booking"."communications" (
  "id" uuid PRIMARY KEY,
  "booking_id" uuid NOT NULL,
  "channel" text NOT NULL,
  "template" text NOT NULL,
  "recipient" text NOT NULL,
  "status" text NOT NULL,
  "provider_message_id" text,
  "attempts" integer NOT NULL,
  "at" timestamptz NOT NULL
);
--> statement-breakpoint
CREATE INDEX "communications_booking_idx" ON "booking"."communications" ("booking_id", "at");
--> statement-breakpoint
-- Local copy of the inventory from item.* events: item snapshots for new bookings and the
-- denominator of utilization.
CREATE TABLE "booking"."items" (
  "id" uuid PRIMARY KEY,
  "type" text NOT NULL,
  "name" text NOT NULL,
  "location" text NOT NULL,
  "timezone" text NOT NULL,
  "currency" char(3) NOT NULL,
  "active" boolean NOT NULL,
  "updated_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
-- Holds seen through hold.created, the denominator of hold-to-booking conversion.
CREATE TABLE "booking"."holds_seen" (
  "hold_id" uuid PRIMARY KEY,
  "item_id" uuid NOT NULL,
  "created_at" timestamptz NOT NULL
);
--> statement-breakpoint
CREATE INDEX "holds_seen_created_idx" ON "booking"."holds_seen" ("created_at");
