-- A refund the provider marked failed (Stripe `failed` or `canceled`, PayPal FAILED or CANCELLED) is
-- asked for again as a new attempt, each under its own idempotency key; `refund_failures` counts
-- the failed attempts. After REFUND_MAX_ATTEMPTS of them the refund is `dead_lettered`: it waits
-- for staff, who retry it or resolve it by hand with a reason, and still counts as money owed.
ALTER TABLE "booking"."payments" DROP CONSTRAINT "payments_status_check";
--> statement-breakpoint
ALTER TABLE "booking"."payments" ADD CONSTRAINT "payments_status_check"
  CHECK ("status" IN ('pending', 'authorized', 'succeeded', 'failed', 'cancelled', 'dead_lettered'));
--> statement-breakpoint
ALTER TABLE "booking"."payment_events" DROP CONSTRAINT "payment_events_status_check";
--> statement-breakpoint
ALTER TABLE "booking"."payment_events" ADD CONSTRAINT "payment_events_status_check"
  CHECK ("status" IN ('pending', 'authorized', 'succeeded', 'failed', 'cancelled', 'attempt_failed', 'dead_lettered'));
--> statement-breakpoint
ALTER TABLE "booking"."payments" ADD COLUMN "refund_failures" integer NOT NULL DEFAULT 0 CHECK ("refund_failures" >= 0);
--> statement-breakpoint
-- Dead-lettered refunds are few and read by staff and by the metrics scrape.
CREATE INDEX "payments_dead_lettered_idx" ON "booking"."payments" ("created_at") WHERE "kind" = 'refund' AND "status" = 'dead_lettered';
