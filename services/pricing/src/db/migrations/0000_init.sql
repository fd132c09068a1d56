-- Pricing's own tables: the item copy fed by availability, rate data, quotes and the audit log.
CREATE TABLE IF NOT EXISTS "pricing"."items" (
  "id" uuid PRIMARY KEY,
  "type" text NOT NULL CHECK ("type" IN ('car', 'yacht', 'jet', 'property')),
  "name" text NOT NULL,
  "location" text NOT NULL,
  "timezone" text NOT NULL,
  "currency" char(3) NOT NULL,
  "rate_unit" text NOT NULL CHECK ("rate_unit" IN ('hour', 'day', 'night')),
  "rate_amount" bigint NOT NULL CHECK ("rate_amount" >= 0),
  "active" boolean NOT NULL DEFAULT true,
  -- When availability produced this snapshot; an older event never overwrites a newer copy.
  "source_at" timestamptz NOT NULL,
  "updated_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "pricing"."rate_cards" (
  "item_id" uuid PRIMARY KEY,
  "unit" text CHECK ("unit" IN ('hour', 'day', 'night')),
  "amount" bigint CHECK ("amount" >= 0),
  "daily_cap" bigint CHECK ("daily_cap" >= 0),
  "minimum_charge" bigint CHECK ("minimum_charge" >= 0),
  "location_adjustment_bps" integer CHECK ("location_adjustment_bps" > -10000),
  "updated_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "pricing"."seasons" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "location" text NOT NULL,
  "name" text NOT NULL,
  "multiplier_bps" integer NOT NULL CHECK ("multiplier_bps" > 0),
  "recurring" boolean NOT NULL,
  -- MM-DD when recurring, YYYY-MM-DD otherwise; both bounds inclusive.
  "start" text NOT NULL,
  "end" text NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  CHECK (("recurring" AND "start" ~ '^\d{2}-\d{2}$' AND "end" ~ '^\d{2}-\d{2}$')
      OR (NOT "recurring" AND "start" ~ '^\d{4}-\d{2}-\d{2}$' AND "end" ~ '^\d{4}-\d{2}-\d{2}$' AND "start" <= "end"))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "seasons_location" ON "pricing"."seasons" (lower("location"));
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "pricing"."tiers" (
  "code" text PRIMARY KEY CHECK ("code" IN ('standard', 'premium', 'vvip')),
  "multiplier_bps" integer NOT NULL CHECK ("multiplier_bps" > 0),
  "updated_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "pricing"."add_ons" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "code" text NOT NULL,
  "name" text NOT NULL,
  "item_type" text NOT NULL CHECK ("item_type" IN ('car', 'yacht', 'jet', 'property')),
  -- NULL: offered at every location; a location's own entry wins over it.
  "location" text,
  "pricing" text NOT NULL CHECK ("pricing" IN ('flat', 'per_unit', 'per_guest')),
  "amount" bigint NOT NULL CHECK ("amount" >= 0),
  "currency" char(3) NOT NULL,
  "max_quantity" integer NOT NULL DEFAULT 1 CHECK ("max_quantity" BETWEEN 1 AND 1000),
  "created_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "add_ons_code_scope" ON "pricing"."add_ons" ("code", "item_type", lower(coalesce("location", '')), "currency");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "pricing"."taxes" (
  "location" text PRIMARY KEY,
  "name" text NOT NULL,
  "rate_bps" integer NOT NULL CHECK ("rate_bps" BETWEEN 0 AND 10000),
  "inclusive" boolean NOT NULL,
  "updated_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "taxes_location" ON "pricing"."taxes" (lower("location"));
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "pricing"."location_adjustments" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "location" text NOT NULL,
  -- NULL: every item type at the location; a type's own entry wins over it.
  "item_type" text CHECK ("item_type" IN ('car', 'yacht', 'jet', 'property')),
  "description" text NOT NULL,
  "bps" integer NOT NULL CHECK ("bps" > -10000 AND "bps" <= 100000),
  "updated_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "location_adjustments_scope" ON "pricing"."location_adjustments" (lower("location"), coalesce("item_type", ''));
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "pricing"."refund_policies" (
  "item_type" text PRIMARY KEY CHECK ("item_type" IN ('car', 'yacht', 'jet', 'property')),
  -- [{minHoursBefore, refundBps}]
  "windows" jsonb NOT NULL,
  "processing_fee_bps" integer NOT NULL CHECK ("processing_fee_bps" BETWEEN 0 AND 10000),
  "no_show_refund_bps" integer NOT NULL CHECK ("no_show_refund_bps" BETWEEN 0 AND 10000),
  "updated_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "pricing"."quotes" (
  "id" uuid PRIMARY KEY,
  "item_id" uuid NOT NULL,
  "start" timestamptz NOT NULL,
  "end" timestamptz NOT NULL,
  "tier" text NOT NULL,
  -- Normalised add-on request ([{code, quantity}] sorted by code), to match a price-locked booking.
  "add_ons" jsonb NOT NULL,
  "currency" char(3) NOT NULL,
  "total" bigint NOT NULL,
  "lines" jsonb NOT NULL,
  "expires_at" timestamptz NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "quotes_expires_at" ON "pricing"."quotes" ("expires_at");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "pricing"."audit_log" (
  "id" bigserial PRIMARY KEY,
  "at" timestamptz NOT NULL DEFAULT now(),
  "actor" text NOT NULL,
  "actor_role" text NOT NULL,
  "action" text NOT NULL,
  "entity" text NOT NULL,
  "entity_id" text NOT NULL,
  "before" jsonb,
  "after" jsonb
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_log_entity" ON "pricing"."audit_log" ("entity", "entity_id", "id");
--> statement-breakpoint
-- Tiers and refund policies are needed by every quote and refund, so they exist from the start
-- (these are the defaults); super_admins change them through the admin API.
INSERT INTO "pricing"."tiers" ("code", "multiplier_bps") VALUES ('standard', 10000), ('premium', 13000), ('vvip', 18000)
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "pricing"."refund_policies" ("item_type", "windows", "processing_fee_bps", "no_show_refund_bps") VALUES
  ('car', '[{"minHoursBefore":48,"refundBps":10000},{"minHoursBefore":24,"refundBps":5000}]', 200, 2500),
  ('yacht', '[{"minHoursBefore":720,"refundBps":10000},{"minHoursBefore":336,"refundBps":5000},{"minHoursBefore":168,"refundBps":2500}]', 300, 1000),
  ('jet', '[{"minHoursBefore":168,"refundBps":10000},{"minHoursBefore":72,"refundBps":5000},{"minHoursBefore":24,"refundBps":2500}]', 300, 1000),
  ('property', '[{"minHoursBefore":720,"refundBps":10000},{"minHoursBefore":168,"refundBps":5000}]', 200, 2000)
ON CONFLICT DO NOTHING;
