-- Loyalty points redeemed on a booking (its `points` price line). They leave the customer's
-- balance in the booking's own transaction by a conditional update that the balance's
-- CHECK (points >= 0) backs, so the same points cannot pay for two bookings; they come back
-- once, when the booking is cancelled or expires unpaid (`restored_at` is set exactly once).
CREATE TABLE IF NOT EXISTS "booking"."points_redemptions" (
  "booking_id" uuid PRIMARY KEY REFERENCES "booking"."bookings" ("id"),
  "customer_id" text NOT NULL REFERENCES "booking"."customers" ("id"),
  "points" bigint NOT NULL CHECK ("points" > 0),
  "redeemed_at" timestamptz NOT NULL DEFAULT now(),
  "restored_at" timestamptz,
  "restored_reason" text,
  CHECK (("restored_at" IS NULL) = ("restored_reason" IS NULL))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "points_redemptions_customer" ON "booking"."points_redemptions" ("customer_id");
