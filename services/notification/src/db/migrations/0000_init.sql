-- One row per message: what was rendered, to whom, and how delivery went. The unique key on the
-- source event and template is what makes a redelivered event never produce a second message.
CREATE TABLE IF NOT EXISTS "notification"."communications" (
  "id" uuid PRIMARY KEY,
  -- Creation order for stable pages (timestamps tie, and lose microseconds in JavaScript).
  "seq" bigserial NOT NULL,
  "event_id" uuid NOT NULL,
  "event_type" text NOT NULL,
  "booking_id" uuid NOT NULL,
  "template" text NOT NULL,
  "channel" text NOT NULL CHECK ("channel" IN ('email', 'log')),
  "recipient" text NOT NULL,
  "subject" text NOT NULL,
  "html" text NOT NULL,
  "body_text" text NOT NULL,
  "status" text NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'sent', 'logged', 'failed')),
  "provider_message_id" text,
  "transport" text,
  "attempts" integer NOT NULL DEFAULT 0 CHECK ("attempts" >= 0),
  "error" text,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  "sent_at" timestamptz,
  CONSTRAINT "communications_event_template_key" UNIQUE ("event_id", "template"),
  -- A finished message says how it finished.
  CONSTRAINT "communications_outcome_check" CHECK (
    ("status" IN ('sent', 'logged') AND "sent_at" IS NOT NULL)
    OR ("status" = 'failed' AND "error" IS NOT NULL)
    OR "status" = 'pending'
  )
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "communications_booking_idx" ON "notification"."communications" ("booking_id", "seq");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "communications_pending_idx" ON "notification"."communications" ("created_at") WHERE "status" = 'pending';
--> statement-breakpoint
-- Every try of every transport, so staff can see which relay refused a message and why.
CREATE TABLE IF NOT EXISTS "notification"."delivery_attempts" (
  "id" bigserial PRIMARY KEY,
  "communication_id" uuid NOT NULL REFERENCES "notification"."communications" ("id") ON DELETE CASCADE,
  "attempt" integer NOT NULL CHECK ("attempt" >= 1),
  "transport" text NOT NULL,
  "outcome" text NOT NULL CHECK ("outcome" IN ('accepted', 'failed')),
  "provider_message_id" text,
  "error" text,
  "at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "delivery_attempts_communication_idx" ON "notification"."delivery_attempts" ("communication_id", "id");
