-- What a customer's loyalty tier brings on a quote: a discount on the stay (never a surcharge).
-- The service tier priced is the one the customer chooses; loyalty only ever lowers the price.
CREATE TABLE IF NOT EXISTS "pricing"."loyalty_perks" (
  "tier" text PRIMARY KEY,
  "discount_bps" integer NOT NULL CHECK ("discount_bps" BETWEEN 0 AND 10000),
  "updated_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
INSERT INTO "pricing"."loyalty_perks" ("tier", "discount_bps") VALUES
  ('standard', 0), ('premium', 500), ('vvip', 1000)
ON CONFLICT ("tier") DO NOTHING;
