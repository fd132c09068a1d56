-- Confirmed bookings waiting for a concierge are found by start, so the rescue sweep serves the
-- soonest first and the near-start alert reads only the bookings it may concern.
CREATE INDEX "bookings_unassigned_idx" ON "booking"."bookings" ("start_at") WHERE "status" = 'confirmed';
--> statement-breakpoint
-- When admins were told the booking was still unassigned close to its start: told once.
ALTER TABLE "booking"."bookings" ADD COLUMN "unassigned_alerted_at" timestamptz;
