CREATE TABLE IF NOT EXISTS "pricing"."service_info" (
  "key" text PRIMARY KEY,
  "value" text NOT NULL
);
