CREATE TABLE IF NOT EXISTS "wired".notes (id uuid PRIMARY KEY, text text NOT NULL);
