CREATE TABLE IF NOT EXISTS "notification"."service_info" (
  "key" text PRIMARY KEY,
  "value" text NOT NULL
);
