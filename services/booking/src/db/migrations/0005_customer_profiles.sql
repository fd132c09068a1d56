-- Where a signed-in customer's messages go, as they set it (PUT /v1/me/profile).
CREATE TABLE "booking"."customer_profiles" (
  "customer_id" text PRIMARY KEY,
  "name" text NOT NULL,
  "email" text NOT NULL,
  "phone" text,
  "updated_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
-- True when the booking's contact was taken from its customer's profile (or token claims), so a
-- change of profile reaches it; false when given with the booking (a guest, or someone else).
ALTER TABLE "booking"."bookings" ADD COLUMN "contact_from_profile" boolean NOT NULL DEFAULT false;
