-- A change of a booking claims it while its remote work (the quote, the slot, the provider's
-- payment) runs outside any transaction: a second change of the same booking is refused until the
-- first commits or is undone, or until its claim lapses (a process that died mid-change).
ALTER TABLE "booking"."bookings" ADD COLUMN IF NOT EXISTS "change_claimed_until" timestamptz;
