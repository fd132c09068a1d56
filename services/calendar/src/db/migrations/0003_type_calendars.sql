-- The calendar Midas made for each item type ("Midas Cars", ...), shared by the items of that type
-- linked without a calendar of their own. One per type: the first made wins, a second made in a
-- race is deleted again.
CREATE TABLE IF NOT EXISTS "calendar"."type_calendars" (
  "item_type" text PRIMARY KEY,
  "calendar_id" text NOT NULL UNIQUE,
  "summary" text NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
ALTER TABLE "calendar"."links" ADD COLUMN IF NOT EXISTS "shared" boolean NOT NULL DEFAULT false;
