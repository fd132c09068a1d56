-- Loyalty tiers are reached by spend or by booking history: a tier may also be granted from a
-- number of completed bookings (NULL: by spend only). Each customer's completed bookings are counted.
ALTER TABLE "booking"."loyalty_tiers" ADD COLUMN IF NOT EXISTS "min_completed_bookings" integer
  CHECK ("min_completed_bookings" IS NULL OR "min_completed_bookings" >= 1);
--> statement-breakpoint
UPDATE "booking"."loyalty_tiers" SET "min_completed_bookings" = CASE "tier" WHEN 'premium' THEN 10 WHEN 'vvip' THEN 30 END
 WHERE "tier" IN ('premium', 'vvip') AND "min_completed_bookings" IS NULL;
--> statement-breakpoint
ALTER TABLE "booking"."customers" ADD COLUMN IF NOT EXISTS "completed_bookings" integer NOT NULL DEFAULT 0
  CHECK ("completed_bookings" >= 0);
--> statement-breakpoint
UPDATE "booking"."customers" c SET "completed_bookings" = (
  SELECT count(*) FROM "booking"."bookings" b WHERE b.customer_id = c.id AND b.status IN ('completed'));
