-- What loyalty points are worth when redeemed on a quote, per currency: `points_per_major` points
-- make one major unit (100 = one point per cent), and points pay at most `max_share_bps` of the
-- price before tax (at most 90 %, so a booking always leaves something to pay). A currency
-- without a row takes no points.
CREATE TABLE IF NOT EXISTS "pricing"."points_rates" (
  "currency" char(3) PRIMARY KEY,
  "points_per_major" integer NOT NULL CHECK ("points_per_major" >= 1),
  "max_share_bps" integer NOT NULL CHECK ("max_share_bps" BETWEEN 0 AND 9000),
  "updated_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
INSERT INTO "pricing"."points_rates" ("currency", "points_per_major", "max_share_bps") VALUES
  ('EUR', 100, 5000), ('USD', 100, 5000), ('GBP', 100, 5000), ('CHF', 100, 5000), ('AED', 100, 5000)
ON CONFLICT ("currency") DO NOTHING;
--> statement-breakpoint
-- The points a stored quote redeems (its `points` line), so reading it back shows them.
ALTER TABLE "pricing"."quotes" ADD COLUMN IF NOT EXISTS "points_redeemed" integer NOT NULL DEFAULT 0
  CHECK ("points_redeemed" >= 0);
