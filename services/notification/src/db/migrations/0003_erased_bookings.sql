-- Bookings whose personal data was erased (booking.erased): an event about one that arrives
-- late is recorded without the guest's contact.
CREATE TABLE IF NOT EXISTS "notification"."erased_bookings" (
  "booking_id" uuid PRIMARY KEY,
  "erased_at" timestamptz NOT NULL
);
