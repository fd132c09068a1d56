-- "__schema__" is replaced by the service's schema when applied (see src/migrations.ts).
CREATE TABLE IF NOT EXISTS "__schema__".outbox (
  id uuid PRIMARY KEY,
  seq bigserial NOT NULL,
  type text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  occurred_at timestamptz NOT NULL,
  data jsonb NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}'::jsonb,
  sent_at timestamptz
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS outbox_unsent_idx ON "__schema__".outbox (seq) WHERE sent_at IS NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS outbox_sent_at_idx ON "__schema__".outbox (sent_at) WHERE sent_at IS NOT NULL;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "__schema__".inbox (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  type text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "__schema__".outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- One notification per statement; Postgres folds duplicates within a transaction.
  PERFORM pg_notify('midas_outbox', TG_TABLE_SCHEMA);
  RETURN NULL;
END
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS outbox_notify ON "__schema__".outbox;
--> statement-breakpoint
CREATE TRIGGER outbox_notify AFTER INSERT ON "__schema__".outbox
  FOR EACH STATEMENT EXECUTE FUNCTION "__schema__".outbox_notify();
