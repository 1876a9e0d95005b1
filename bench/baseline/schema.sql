-- The baseline's own tables, in their own schema of the bench database.
CREATE SCHEMA IF NOT EXISTS baseline;
CREATE TABLE IF NOT EXISTS baseline.users (
  id bigserial PRIMARY KEY,
  email text NOT NULL UNIQUE,
  email_sent boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS baseline.tokens (
  user_id bigint NOT NULL REFERENCES baseline.users (id),
  token_hash bytea NOT NULL UNIQUE
);
