-- The live-hold cap counts a holder's active holds: by customer subject, or by a guest's address.
ALTER TABLE "availability"."allocations" ADD COLUMN IF NOT EXISTS "holder_ip" text;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "allocations_live_holds_by_sub_idx" ON "availability"."allocations" ("holder_sub")
  WHERE "kind" = 'hold' AND "active" AND "holder_sub" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "allocations_live_holds_by_ip_idx" ON "availability"."allocations" ("holder_ip")
  WHERE "kind" = 'hold' AND "active" AND "holder_ip" IS NOT NULL;
