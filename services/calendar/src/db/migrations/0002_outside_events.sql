-- What calendar last reported to availability about each outside event: the period it asked to
-- block (NULL once withdrawn, or never asked) and the revision of that report, which grows with
-- every report so availability keeps the newest.
ALTER TABLE "calendar"."external_events" ADD COLUMN IF NOT EXISTS "calendar_id" text;
--> statement-breakpoint
ALTER TABLE "calendar"."external_events" ADD COLUMN IF NOT EXISTS "revision" integer NOT NULL DEFAULT 0;
--> statement-breakpoint
UPDATE "calendar"."external_events" SET "start_at" = NULL, "end_at" = NULL WHERE "decision" <> 'blackout_requested';
