import type { Migration } from './index';

/**
 * Query plans that do not depend on fresh statistics (docs/storage.md, "Plans without statistics").
 *
 * - `(kind, seq)`, `(parent, seq)`, `(owner, seq)`: an equality on the leading column answered in
 *   natural order straight from the index, so `kind=test&limit=50` reads 50 index entries instead of
 *   fetching and sorting every match, whatever the planner believes about the row counts.
 *   `(owner, seq)` replaces `node_owner`.
 * - `(data #> '{…}', seq)` for `data.runtime`, `data.platform` and `data.kernel_revision.{tree,branch,commit}`:
 *   the filter compiler translates equality on these paths to `data #> '{…}' = $v::jsonb`, which is
 *   exact for a scalar reached without arrays (jsonb equality is typed like BSON's), so those rows
 *   need no jsonpath check. They replace the `->>` text expression indexes, which no query used.
 * - `maestro_data_lax_arrays(data)`: true when `data`, or a step on the way to one of those paths, is
 *   an array — the only rows where MongoDB's array walking can match without the scalar equality.
 *   Its partial index holds just those rows (normally none), so the jsonpath test runs on them only.
 * - Autovacuum thresholds scaled down for `node`: with the defaults a 10 M-row table waits for 2 M
 *   changed rows before a vacuum (visibility map, index-only counts) and 1 M before an analyse.
 */
export const m0009NodeQueryIndexes: Migration = {
  version: 9,
  name: 'node-query-indexes',
  sql: `
CREATE INDEX node_kind_seq ON node (kind, seq);
CREATE INDEX node_parent_seq ON node (parent, seq);
CREATE INDEX node_owner_seq ON node (owner, seq);
DROP INDEX node_owner;
CREATE INDEX node_data_runtime_seq ON node ((data #> '{runtime}'), seq);
CREATE INDEX node_data_platform_seq ON node ((data #> '{platform}'), seq);
CREATE INDEX node_revision_tree_seq ON node ((data #> '{kernel_revision,tree}'), seq);
CREATE INDEX node_revision_branch_seq ON node ((data #> '{kernel_revision,branch}'), seq);
CREATE INDEX node_revision_commit_seq ON node ((data #> '{kernel_revision,commit}'), seq);
DROP INDEX node_revision;
CREATE FUNCTION maestro_data_lax_arrays(data jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT jsonb_typeof(data) = 'array'
      OR jsonb_typeof(data -> 'runtime') = 'array'
      OR jsonb_typeof(data -> 'platform') = 'array'
      OR jsonb_typeof(data -> 'kernel_revision') = 'array'
      OR jsonb_typeof(data #> '{kernel_revision,tree}') = 'array'
      OR jsonb_typeof(data #> '{kernel_revision,branch}') = 'array'
      OR jsonb_typeof(data #> '{kernel_revision,commit}') = 'array'
$$;
CREATE INDEX node_data_lax_arrays ON node (seq) WHERE maestro_data_lax_arrays(data);
DROP INDEX node_data_runtime;
DROP INDEX node_data_platform;
ALTER TABLE node SET (
  autovacuum_vacuum_scale_factor = 0.01,
  autovacuum_vacuum_insert_scale_factor = 0.01,
  autovacuum_analyze_scale_factor = 0.005,
  autovacuum_vacuum_threshold = 1000,
  autovacuum_analyze_threshold = 1000
);
`,
};
