CREATE TABLE IF NOT EXISTS "booking"."service_info" (
  "key" text PRIMARY KEY,
  "value" text NOT NULL
);
