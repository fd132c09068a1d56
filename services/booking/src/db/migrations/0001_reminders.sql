-- Reminders sent, one row each, written in the same transaction as its booking.reminder_due
-- event: the key makes each reminder go out exactly once, whether its delayed job or a repair
-- sweep gets there first. A booking whose dates move has new moments, hence new reminders.
-- No foreign key to bookings, which are never deleted: its check would cost a look-up per row
-- when thousands of reminders fall due at once.
CREATE TABLE "booking"."reminders" (
  "booking_id" uuid NOT NULL,
  "offset_seconds" integer NOT NULL CHECK ("offset_seconds" > 0),
  "due_at" timestamptz NOT NULL,
  "label" text NOT NULL,
  "sent_at" timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY ("booking_id", "offset_seconds", "due_at")
);
--> statement-breakpoint
-- The sweeps look for bookings in a status whose moment has come.
CREATE INDEX "bookings_status_start_idx" ON "booking"."bookings" ("status", "start_at");
--> statement-breakpoint
CREATE INDEX "bookings_status_end_idx" ON "booking"."bookings" ("status", "end_at");
--> statement-breakpoint
CREATE INDEX "bookings_unpaid_expiry_idx" ON "booking"."bookings" ("hold_expires_at") WHERE "status" = 'pending_payment';
