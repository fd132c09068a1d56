-- Other channels' iCalendar feeds imported per item (Airbnb, Booking.com, VRBO, another Midas):
-- where each is fetched from, how often, what its server last said (ETag, Last-Modified) and how
-- its fetches have gone. `lease_until` keeps two workers from fetching one feed at once.
CREATE TABLE IF NOT EXISTS "calendar"."ical_feeds" (
  "id" uuid PRIMARY KEY,
  "item_id" uuid NOT NULL,
  "name" text NOT NULL,
  "url" text NOT NULL,
  "interval_seconds" integer NOT NULL DEFAULT 600 CHECK ("interval_seconds" BETWEEN 60 AND 86400),
  "etag" text,
  "last_modified" text,
  "next_fetch_at" timestamptz NOT NULL DEFAULT now(),
  "lease_until" timestamptz,
  "last_fetch_at" timestamptz,
  "last_success_at" timestamptz,
  "last_error" text,
  "last_error_at" timestamptz,
  "failing_since" timestamptz,
  "consecutive_failures" integer NOT NULL DEFAULT 0,
  "events_seen" integer NOT NULL DEFAULT 0,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  UNIQUE ("item_id", "url")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "ical_feeds_next_fetch_idx" ON "calendar"."ical_feeds" ("next_fetch_at");
--> statement-breakpoint
-- What calendar last reported to availability about each event of a feed (one row per event, or
-- per occurrence of a recurring one): the period it asked to block (NULL once withdrawn) and the
-- revision of that report, as for outside events of Google calendars.
CREATE TABLE IF NOT EXISTS "calendar"."ical_feed_events" (
  "feed_id" uuid NOT NULL REFERENCES "calendar"."ical_feeds" ("id") ON DELETE CASCADE,
  "event_key" text NOT NULL,
  "start_at" timestamptz,
  "end_at" timestamptz,
  "revision" integer NOT NULL DEFAULT 0,
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY ("feed_id", "event_key")
);
