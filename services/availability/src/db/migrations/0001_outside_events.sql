-- Events others put in an item's linked Google calendar, as calendar reports them: the period each
-- asks to block (NULL once withdrawn) and the report's revision, so a late or repeated report
-- changes nothing. `source` (the calendar and event id) is unique: one row per outside event.
-- The blocked time itself is held as blackout allocations created by 'calendar' (reason
-- 'external'), under the same exclusion constraint as everything else.
CREATE TABLE "availability"."outside_events" (
  "source" text PRIMARY KEY,
  "item_id" uuid NOT NULL REFERENCES "availability"."items" ("id"),
  "calendar_id" text NOT NULL,
  "event_id" text NOT NULL,
  "revision" integer NOT NULL CHECK ("revision" >= 0),
  "start_at" timestamptz,
  "end_at" timestamptz,
  "summary" text NOT NULL DEFAULT '',
  -- blocking, conflict (bookings are there) or withdrawn; with the bookings of the last conflict reported.
  "state" text NOT NULL CHECK ("state" IN ('blocking', 'conflict', 'withdrawn')),
  "conflict_booking_ids" text[],
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "outside_events_period" CHECK (("start_at" IS NULL) = ("end_at" IS NULL) AND ("end_at" IS NULL OR "end_at" > "start_at"))
);
--> statement-breakpoint
CREATE INDEX "outside_events_by_item" ON "availability"."outside_events" ("item_id") WHERE "start_at" IS NOT NULL;
