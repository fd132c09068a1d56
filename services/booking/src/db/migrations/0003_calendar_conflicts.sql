-- Events someone put in an item's Google calendar over a confirmed booking (calendar.conflict):
-- kept with the booking so staff see them in its history. One row per booking and reported
-- version of the outside event: the same report delivered again adds nothing.
CREATE TABLE "booking"."calendar_conflicts" (
  "booking_id" uuid NOT NULL,
  "calendar_id" text NOT NULL,
  "google_event_id" text NOT NULL,
  "start_at" timestamptz NOT NULL,
  "end_at" timestamptz NOT NULL,
  "summary" text NOT NULL,
  "at" timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY ("booking_id", "google_event_id", "start_at", "end_at")
);
