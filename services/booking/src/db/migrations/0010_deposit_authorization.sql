-- Security deposits are authorised DEPOSIT_AUTH_LEAD_HOURS before the rental starts, no longer at
-- booking. A deposit the card refused is `declined` (the guest and the admins are told; staff try
-- again, or the guest completes it with the client secret shown). `authorize_attempts` numbers the
-- attempts so each goes under its own idempotency key; `authorized_at` is when the hold was made,
-- which tells whether a PayPal authorisation is still honoured or must be reauthorised.
ALTER TABLE "booking"."payments" DROP CONSTRAINT "payments_status_check";
--> statement-breakpoint
ALTER TABLE "booking"."payments" ADD CONSTRAINT "payments_status_check"
  CHECK ("status" IN ('pending', 'authorized', 'succeeded', 'failed', 'cancelled', 'dead_lettered', 'declined'));
--> statement-breakpoint
ALTER TABLE "booking"."payment_events" DROP CONSTRAINT "payment_events_status_check";
--> statement-breakpoint
ALTER TABLE "booking"."payment_events" ADD CONSTRAINT "payment_events_status_check"
  CHECK ("status" IN ('pending', 'authorized', 'succeeded', 'failed', 'cancelled', 'attempt_failed', 'dead_lettered', 'declined'));
--> statement-breakpoint
ALTER TABLE "booking"."payments" ADD COLUMN "authorize_attempts" integer NOT NULL DEFAULT 0 CHECK ("authorize_attempts" >= 0);
--> statement-breakpoint
ALTER TABLE "booking"."payments" ADD COLUMN "authorized_at" timestamp with time zone;
--> statement-breakpoint
UPDATE "booking"."payments" SET "authorized_at" = "created_at" WHERE "kind" = 'deposit' AND "status" = 'authorized';
--> statement-breakpoint
-- The deposit repair sweep reads the deposits still waiting for their authorisation.
CREATE INDEX "payments_deposits_waiting_idx" ON "booking"."payments" ("booking_id") WHERE "kind" = 'deposit' AND "status" IN ('pending', 'authorized');
