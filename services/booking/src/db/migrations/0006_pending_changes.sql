-- A change that raises a booking's price waits here until its difference is paid: the booking
-- keeps its dates and add-ons meanwhile, and the new slot is held (a separate hold in hold_id, or
-- the booking's own slot stretched over both periods). `applied` once paid, `lapsed` when its
-- time ran out unpaid, `withdrawn` when a later change replaced it. At most one waits per booking.
CREATE TABLE "booking"."pending_changes" (
  "id" uuid PRIMARY KEY,
  "booking_id" uuid NOT NULL,
  "payment_id" uuid NOT NULL,
  "status" text NOT NULL,
  "start_at" timestamptz NOT NULL,
  "end_at" timestamptz NOT NULL,
  "add_ons" jsonb NOT NULL,
  "total" bigint NOT NULL,
  "price_lines" jsonb NOT NULL,
  "quote_id" uuid,
  "slot" text NOT NULL,
  "hold_id" uuid,
  "actor_role" text NOT NULL,
  "actor_id" text,
  "expires_at" timestamptz NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "settled_at" timestamptz
);
--> statement-breakpoint
CREATE UNIQUE INDEX "pending_changes_one_waiting" ON "booking"."pending_changes" ("booking_id") WHERE "status" = 'pending';
--> statement-breakpoint
CREATE INDEX "pending_changes_lapsing" ON "booking"."pending_changes" ("expires_at") WHERE "status" = 'pending';
--> statement-breakpoint
CREATE UNIQUE INDEX "pending_changes_by_payment" ON "booking"."pending_changes" ("payment_id");
