CREATE TABLE IF NOT EXISTS "availability"."service_info" (
  "key" text PRIMARY KEY,
  "value" text NOT NULL
);
