-- Outbound webhooks. A subscription: where to send which event types, its signing secret
-- (encrypted: HMAC needs the secret itself) and, during a rotation, the previous one.
CREATE TABLE IF NOT EXISTS "notification"."webhook_subscriptions" (
  "id" uuid PRIMARY KEY,
  -- Creation order for stable pages.
  "seq" bigserial NOT NULL,
  "url" text NOT NULL,
  "events" text[] NOT NULL CHECK (cardinality("events") > 0),
  "description" text,
  "include_personal_data" boolean NOT NULL DEFAULT false,
  "active" boolean NOT NULL DEFAULT true,
  "secret_sealed" text NOT NULL,
  "previous_secret_sealed" text,
  "previous_secret_expires_at" timestamptz,
  -- Failed attempts in a row and when that run began; a success resets both.
  "consecutive_failures" integer NOT NULL DEFAULT 0 CHECK ("consecutive_failures" >= 0),
  "failing_since" timestamptz,
  "disabled_at" timestamptz,
  "disabled_reason" text,
  "created_by" text,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "webhook_subscriptions_previous_check" CHECK (
    ("previous_secret_sealed" IS NULL) = ("previous_secret_expires_at" IS NULL)
  )
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "webhook_subscriptions_seq_idx" ON "notification"."webhook_subscriptions" ("seq");
--> statement-breakpoint
-- Per booking, the last sequence number given to one of its webhook events.
CREATE TABLE IF NOT EXISTS "notification"."webhook_booking_sequences" (
  "booking_id" uuid PRIMARY KEY,
  "last_sequence" bigint NOT NULL
);
--> statement-breakpoint
-- One row per (subscription, event, booking): the unique key is what makes a redelivered event
-- never produce a second delivery. Its id is the `webhook-id`, its body the exact bytes sent.
CREATE TABLE IF NOT EXISTS "notification"."webhook_deliveries" (
  "id" uuid PRIMARY KEY,
  "seq" bigserial NOT NULL,
  "subscription_id" uuid NOT NULL REFERENCES "notification"."webhook_subscriptions" ("id") ON DELETE CASCADE,
  "event_id" uuid NOT NULL,
  "event_type" text NOT NULL,
  "booking_id" uuid NOT NULL,
  "sequence" bigint NOT NULL,
  "body" text NOT NULL,
  "status" text NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'delivered', 'failed')),
  "attempts" integer NOT NULL DEFAULT 0 CHECK ("attempts" >= 0),
  "replays" integer NOT NULL DEFAULT 0 CHECK ("replays" >= 0),
  "response_status" integer,
  "latency_ms" integer,
  "error" text,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  "delivered_at" timestamptz,
  CONSTRAINT "webhook_deliveries_event_key" UNIQUE ("subscription_id", "event_id", "booking_id")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "webhook_deliveries_subscription_idx" ON "notification"."webhook_deliveries" ("subscription_id", "seq");
--> statement-breakpoint
-- Every attempt: when, the response code or the error, and how long it took.
CREATE TABLE IF NOT EXISTS "notification"."webhook_attempts" (
  "id" bigserial PRIMARY KEY,
  "delivery_id" uuid NOT NULL REFERENCES "notification"."webhook_deliveries" ("id") ON DELETE CASCADE,
  "attempt" integer NOT NULL CHECK ("attempt" >= 1),
  "replay" integer NOT NULL DEFAULT 0,
  "response_status" integer,
  "latency_ms" integer NOT NULL,
  "error" text,
  "at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "webhook_attempts_delivery_idx" ON "notification"."webhook_attempts" ("delivery_id", "id");
