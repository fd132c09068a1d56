-- Refunds the provider has not settled are revisited by the refund repair sweep: one that never
-- started (the provider was away) is asked for again under the same idempotency key, one started
-- but still pending is read back (a lost charge.refunded). Each visit pushes the next one back.
ALTER TABLE "booking"."payments" ADD COLUMN "repair_attempts" integer NOT NULL DEFAULT 0;
--> statement-breakpoint
ALTER TABLE "booking"."payments" ADD COLUMN "next_repair_at" timestamptz;
--> statement-breakpoint
-- Open refunds are few among all payments: the sweep reads only those.
CREATE INDEX "payments_open_refunds_idx" ON "booking"."payments" ("created_at") WHERE "kind" = 'refund' AND "status" = 'pending';
