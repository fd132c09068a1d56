-- What calendar knows of each item, from item and booking events: enough to name and place its events.
CREATE TABLE IF NOT EXISTS "calendar"."items" (
  "id" uuid PRIMARY KEY,
  "type" text,
  "name" text,
  "timezone" text NOT NULL,
  "updated_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
-- One row per booking or blackout of an item, projected from booking.* and blackout.* events, and
-- where it stands with Google. `event_at` is the time of the last event applied, so an older
-- event delivered late never overwrites a newer state.
CREATE TABLE IF NOT EXISTS "calendar"."entries" (
  "kind" text NOT NULL CHECK ("kind" IN ('booking', 'blackout')),
  "ref" uuid NOT NULL,
  "item_id" uuid NOT NULL,
  "item_type" text,
  "timezone" text NOT NULL,
  "start_at" timestamptz NOT NULL,
  "end_at" timestamptz NOT NULL,
  "status" text NOT NULL,
  "summary" text NOT NULL,
  "sequence" integer NOT NULL DEFAULT 0 CHECK ("sequence" >= 0),
  "event_at" timestamptz NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  "sync_state" text NOT NULL DEFAULT 'idle' CHECK ("sync_state" IN ('idle', 'pending', 'synced', 'failed')),
  -- The SEQUENCE last written to Google, the calendar it went to, and Google's id and etag for it.
  "synced_sequence" integer,
  "calendar_id" text,
  "google_event_id" text,
  "google_etag" text,
  "sync_attempts" integer NOT NULL DEFAULT 0,
  "sync_error" text,
  "synced_at" timestamptz,
  -- Position in the status listing.
  "seq" bigserial NOT NULL,
  PRIMARY KEY ("kind", "ref"),
  CONSTRAINT "entries_period_check" CHECK ("end_at" > "start_at")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "entries_item_idx" ON "calendar"."entries" ("item_id", "start_at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "entries_sync_state_idx" ON "calendar"."entries" ("sync_state", "seq");
--> statement-breakpoint
-- The feed token of an item, kept only as a SHA-256 hash; a new token replaces the old one.
CREATE TABLE IF NOT EXISTS "calendar"."feed_tokens" (
  "item_id" uuid PRIMARY KEY,
  "token_hash" bytea NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
-- The Google calendar an item's bookings are written to, and where the last incremental read stopped.
CREATE TABLE IF NOT EXISTS "calendar"."links" (
  "item_id" uuid PRIMARY KEY,
  "calendar_id" text NOT NULL,
  "sync_token" text,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
-- Google push channels (events.watch); the token Google echoes back is kept hashed.
CREATE TABLE IF NOT EXISTS "calendar"."watch_channels" (
  "id" text PRIMARY KEY,
  "item_id" uuid NOT NULL,
  "calendar_id" text NOT NULL,
  "token_hash" bytea NOT NULL,
  "resource_id" text,
  "expires_at" timestamptz,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "stopped_at" timestamptz
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "watch_channels_item_idx" ON "calendar"."watch_channels" ("item_id") WHERE "stopped_at" IS NULL;
--> statement-breakpoint
-- Events others put in a linked calendar, with what we made of them, so a change is reported once.
CREATE TABLE IF NOT EXISTS "calendar"."external_events" (
  "item_id" uuid NOT NULL,
  "google_event_id" text NOT NULL,
  "start_at" timestamptz,
  "end_at" timestamptz,
  "decision" text NOT NULL,
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY ("item_id", "google_event_id")
);
