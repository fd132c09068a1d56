CREATE TABLE IF NOT EXISTS "calendar"."service_info" (
  "key" text PRIMARY KEY,
  "value" text NOT NULL
);
