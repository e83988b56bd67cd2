/**
 * The neutral filter model: what the query-language parser (docs/nodes.md#query-language) produces and what every
 * storage adapter translates (SQL for PostgreSQL, a filter document for MongoDB). It carries values
 * already converted to their types, so adapters never re-interpret strings.
 */

/** A converted filter value. `Date` only for the datetime fields; ObjectId-typed fields keep 24-hex strings. */
export type FilterValue = string | number | boolean | null | Date;

export type FilterOperator = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'nin' | 're';

export interface FieldCondition {
  /** Dotted path split into segments: `data.kernel_revision.tree` → `['data', 'kernel_revision', 'tree']`. */
  path: string[];
  op: FilterOperator;
  /** A single value, or the candidate list for `in`/`nin`. For `re`, the pattern string. */
  value: FilterValue | FilterValue[];
}

export interface NodeFilter {
  /** ANDed conditions. */
  conditions: FieldCondition[];
  /**
   * True when the query can match nothing whatever is stored: an unknown operator used alone on a
   * field, a field name starting with `$`, or a filter on the node id (docs/nodes.md#query-language).
   */
  matchesNothing: boolean;
}

/** The node fields whose query values are converted (docs/nodes.md#query-language). */
export const OBJECT_ID_FIELDS = ['parent'] as const;
export const DATETIME_FIELDS = ['created', 'updated', 'timeout', 'holdoff'] as const;
export const INTEGER_FIELDS = ['retry_counter'] as const;
