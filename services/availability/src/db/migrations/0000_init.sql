CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
CREATE TABLE "availability"."items" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "type" text NOT NULL CHECK ("type" IN ('car', 'yacht', 'jet', 'property')),
  "name" text NOT NULL CHECK (length("name") BETWEEN 1 AND 200),
  "location" text NOT NULL CHECK (length("location") BETWEEN 1 AND 100),
  "timezone" text NOT NULL,
  "currency" char(3) NOT NULL,
  "rate_unit" text NOT NULL CHECK ("rate_unit" IN ('hour', 'day', 'night')),
  "rate_amount" bigint NOT NULL CHECK ("rate_amount" >= 0),
  "buffer_minutes" integer NOT NULL CHECK ("buffer_minutes" BETWEEN 0 AND 10080),
  "min_notice_minutes" integer NOT NULL DEFAULT 0 CHECK ("min_notice_minutes" BETWEEN 0 AND 525600),
  "min_duration" text NOT NULL,
  "max_duration" text NOT NULL,
  "active" boolean NOT NULL DEFAULT true,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX "items_by_name" ON "availability"."items" ("name", "id");
--> statement-breakpoint
CREATE INDEX "items_by_type_location" ON "availability"."items" ("type", "location", "name", "id");
--> statement-breakpoint
CREATE INDEX "items_by_location" ON "availability"."items" ("location", "name", "id");
--> statement-breakpoint
-- Every occupied interval of an item, whatever occupies it. The exclusion constraint is the
-- one guard against double booking: no two active rows of an item may block overlapping time.
CREATE TABLE "availability"."allocations" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "item_id" uuid NOT NULL REFERENCES "availability"."items" ("id"),
  "kind" text NOT NULL CHECK ("kind" IN ('hold', 'booking', 'blackout')),
  -- The booking a hold or booked slot is for (set by the booking service).
  "ref" text,
  "holder_sub" text,
  "holder_token_hash" text,
  "period" tstzrange NOT NULL CHECK (NOT isempty("period") AND NOT lower_inf("period") AND NOT upper_inf("period")),
  -- `period` followed by the item's buffer at the time the row was written.
  "blocked" tstzrange NOT NULL CHECK (NOT isempty("blocked")),
  "expires_at" timestamptz,
  "active" boolean NOT NULL DEFAULT true,
  -- Why an inactive row stopped blocking: expired, released, cancelled, deleted, overridden...
  "ended_reason" text,
  "ended_at" timestamptz,
  "note" text,
  "created_by" text,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "allocations_blocked_covers_period" CHECK ("blocked" @> "period" AND lower("blocked") = lower("period")),
  CONSTRAINT "allocations_hold_expires" CHECK (("kind" = 'hold') = ("expires_at" IS NOT NULL)),
  CONSTRAINT "allocations_active_has_no_end" CHECK ("active" = ("ended_reason" IS NULL)),
  CONSTRAINT "allocations_no_overlap" EXCLUDE USING gist ("item_id" WITH =, "blocked" WITH &&) WHERE ("active")
);
--> statement-breakpoint
CREATE INDEX "allocations_lapsing_holds" ON "availability"."allocations" ("expires_at") WHERE "active" AND "kind" = 'hold';
--> statement-breakpoint
CREATE INDEX "allocations_by_ref" ON "availability"."allocations" ("ref") WHERE "ref" IS NOT NULL;
--> statement-breakpoint
-- First responses of POST /v1/holds by Idempotency-Key, per caller.
CREATE TABLE "availability"."hold_requests" (
  "scope" text NOT NULL,
  "key" text NOT NULL,
  "request_hash" text NOT NULL,
  "status" integer,
  "response" jsonb,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY ("scope", "key")
);
--> statement-breakpoint
CREATE INDEX "hold_requests_by_age" ON "availability"."hold_requests" ("created_at");
