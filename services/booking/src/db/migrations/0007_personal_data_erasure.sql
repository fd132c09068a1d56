-- When a booking's personal data (guest name, email, phone) was erased at an admin's request.
ALTER TABLE "booking"."bookings" ADD COLUMN IF NOT EXISTS "erased_at" timestamptz;
--> statement-breakpoint
-- A booking belongs to a customer, or to a guest by their contact and access token; an erased
-- guest booking has no contact left and still belongs to nobody else.
ALTER TABLE "booking"."bookings" DROP CONSTRAINT IF EXISTS "bookings_owner";
--> statement-breakpoint
ALTER TABLE "booking"."bookings" ADD CONSTRAINT "bookings_owner" CHECK (
  "customer_id" IS NOT NULL
  OR "erased_at" IS NOT NULL
  OR ("guest_email" IS NOT NULL AND "access_token_hash" IS NOT NULL)
);
