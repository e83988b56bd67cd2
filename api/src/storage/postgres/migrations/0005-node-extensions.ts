import type { Migration } from './index';

/**
 * Nodes stream (issue #4): `Idempotency-Key` records (docs/nodes.md#idempotency-key, docs/deployment.md#running-on-mongodb `maestro_idempotency`)
 * and the index the lifecycle's closing rule and the purge need beyond migration 0001.
 *
 * - `maestro_idempotency`: one row per (user, method, path, key). `status` NULL means the first
 *   request is still executing; `response` is what a replay answers, as JSON text (jsonb would reorder
 *   keys, and the replayed body must be byte-identical so that its ETag is too). `created` drives expiry.
 * - `node_state_seq` serves the closing rule (`state = 'closing'`), which has no time bound.
 */
export const m0005NodeExtensions: Migration = {
  version: 5,
  name: 'node-extensions',
  sql: `
CREATE TABLE maestro_idempotency (
  user_id text NOT NULL,
  method text NOT NULL,
  path text NOT NULL,
  key text NOT NULL,
  fingerprint text NOT NULL,
  status integer,
  response text,
  created timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, method, path, key)
);
CREATE INDEX maestro_idempotency_created ON maestro_idempotency (created);
CREATE INDEX node_state_seq ON node (state, seq);
`,
};
