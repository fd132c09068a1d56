-- The retention purge deletes the oldest processed events in batches; without this it would scan the whole inbox each time.
CREATE INDEX IF NOT EXISTS inbox_processed_at ON "__schema__".inbox (processed_at);
