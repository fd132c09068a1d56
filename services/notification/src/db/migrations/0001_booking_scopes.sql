-- Who on the staff may read a booking's communications record: the item's location and the
-- assigned concierge, as the latest consumed booking event carried them. Concierges see a
-- booking's messages exactly when they could see the booking (assigned, or same location).
CREATE TABLE IF NOT EXISTS "notification"."booking_scopes" (
  "booking_id" uuid PRIMARY KEY,
  "location" text NOT NULL,
  "concierge_id" text,
  "updated_at" timestamptz NOT NULL DEFAULT now()
);
