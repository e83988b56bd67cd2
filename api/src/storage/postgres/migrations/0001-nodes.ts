import type { Migration } from './index';

/**
 * Nodes. Scalar fields the query language compares are real columns (typed comparisons, btree
 * indexes); maps and lists are jsonb, filtered with SQL/JSON path in lax mode, which walks arrays
 * the way MongoDB's dotted paths do. `seq` is the natural (insertion) order of docs/api-conventions.md#pagination-envelope.
 * Timestamps keep milliseconds, as MongoDB does.
 */
export const m0001Nodes: Migration = {
  version: 1,
  name: 'nodes',
  sql: `
CREATE TABLE node (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  kind text NOT NULL,
  name text NOT NULL,
  path jsonb NOT NULL,
  "group" text,
  parent text,
  state text NOT NULL,
  result text,
  artifacts jsonb,
  data jsonb,
  debug jsonb,
  jobfilter jsonb,
  platform_filter jsonb,
  created timestamptz(3) NOT NULL,
  updated timestamptz(3) NOT NULL,
  timeout timestamptz(3) NOT NULL,
  holdoff timestamptz(3),
  owner text,
  submitter text,
  treeid text,
  user_groups jsonb NOT NULL DEFAULT '[]'::jsonb,
  processed_by_kcidb_bridge boolean NOT NULL DEFAULT false,
  retry_counter bigint NOT NULL DEFAULT 0
);
CREATE INDEX node_kind_created ON node (kind, created);
CREATE INDEX node_kind_state_seq ON node (kind, state, seq);
CREATE INDEX node_created_id ON node (created, id);
CREATE INDEX node_updated_id ON node (updated, id);
CREATE INDEX node_parent_state ON node (parent, state);
CREATE INDEX node_state_timeout ON node (state, timeout);
CREATE INDEX node_state_holdoff ON node (state, holdoff);
CREATE INDEX node_owner ON node (owner);
CREATE INDEX node_name ON node (name);
CREATE INDEX node_treeid ON node (treeid);
CREATE INDEX node_kcidb_flag ON node (processed_by_kcidb_bridge, seq);
CREATE INDEX node_data_path_ops ON node USING gin (data jsonb_path_ops);
CREATE INDEX node_path_ops ON node USING gin (path jsonb_path_ops);
CREATE INDEX node_revision ON node ((data #>> '{kernel_revision,commit}'), (data #>> '{kernel_revision,branch}'), (data #>> '{kernel_revision,tree}'));
CREATE INDEX node_data_runtime ON node ((data ->> 'runtime'));
CREATE INDEX node_data_platform ON node ((data ->> 'platform'));
`,
};
