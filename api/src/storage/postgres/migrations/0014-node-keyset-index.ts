import type { Migration } from './index';

/**
 * `(kind, state, created, id)`: a keyset page filtered on `kind` and `state` and sorted by
 * `created` (`kind=test&state=done&sort=created&cursor=…`) read in order from the first entry
 * after the cursor. Without it, on a table whose statistics lag behind, the planner takes the
 * `(kind, state, seq)` matches and sorts all of them (155 ms for 73,000 matches at 100,000 nodes,
 * bench/README.md); with statistics it walks `(created, id)` and filters, which also degrades when
 * the pair is rare. Checked by node-plans.server.spec.ts (docs/storage.md, "Plans without statistics").
 */
export const m0014NodeKeysetIndex: Migration = {
  version: 14,
  name: 'node-keyset-index',
  sql: `CREATE INDEX node_kind_state_created_id ON node (kind, state, created, id);`,
};
