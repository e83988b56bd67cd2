import type { Migration } from './index';

/**
 * API tokens (docs/auth.md#two-kinds-of-bearer-token, docs/deployment.md#running-on-mongodb `maestro_apitoken`) and the login rate-limit counters (docs/auth.md#login-rate-limit,
 * docs/deployment.md#running-on-mongodb `maestro_ratelimit`). Only the SHA-256 of a token is stored; `token_hash` is unique so the
 * bearer lookup is one index probe. Rate-limit rows live in the database so every replica shares
 * them; expired rows are purged by the limiter (the TTL index of the MongoDB layout).
 */
export const m0004Auth: Migration = {
  version: 4,
  name: 'auth',
  sql: `
CREATE TABLE maestro_apitoken (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  user_id text NOT NULL,
  name text NOT NULL,
  prefix text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  created timestamptz(3) NOT NULL,
  expires_at timestamptz(3),
  last_used timestamptz(3),
  revoked_at timestamptz(3)
);
CREATE INDEX maestro_apitoken_user_id ON maestro_apitoken (user_id);
CREATE TABLE maestro_ratelimit (
  key text PRIMARY KEY,
  count integer NOT NULL,
  window_start timestamptz(3) NOT NULL,
  expires timestamptz(3) NOT NULL
);
CREATE INDEX maestro_ratelimit_expires ON maestro_ratelimit (expires);
`,
};
