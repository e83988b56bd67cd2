/**
 * The vocabulary of node filters: operators, the fields the SDK knows with their value types, and
 * the object form of a filter.
 */
import type { CheckoutErrorCode, ErrorCode, NodeKind, NodeResult, NodeState, TimestampInput } from '../states.js';

/** Filter operators. `eq` is plain equality; `in`/`nin` take lists; `re` a case-sensitive regular expression. */
export const FILTER_OPERATORS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 're'] as const;
/** A filter operator. */
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** Query parameters that are not conditions; no field may carry these names. */
export const RESERVED_QUERY_KEYS = ['limit', 'offset', 'sort', 'cursor'] as const;

/** Fields whose values the server converts to datetimes. */
export const TIMESTAMP_FIELDS = ['created', 'updated', 'timeout', 'holdoff'] as const;
/** A timestamp field. */
export type TimestampField = (typeof TIMESTAMP_FIELDS)[number];

/** Any value a filter condition can compare with. */
export type FilterScalar = string | number | boolean | null;

/** A timestamp operand: a `Date` or an ISO 8601 string (naive strings are UTC); `null` in Maestro mode. */
export type TimestampOperand = TimestampInput | null;

type RevisionName = 'kernel_revision' | 'test_revision' | 'failed_kernel_revision';
type RevisionStringKey = 'tree' | 'url' | 'branch' | 'commit' | 'describe' | 'patchset' | 'commit_tags' | 'commit_message';
type VersionNumberKey = 'version' | 'patchlevel' | 'sublevel';
type VersionStringKey = 'extra' | 'name';

/** Value types of the top-level node fields. */
export interface TopLevelFieldValues {
  kind: NodeKind;
  name: string;
  /** Array field: matches nodes whose `path` contains the value. */
  path: string;
  group: string | null;
  /** A node id, or `null` for root nodes (Maestro mode only). */
  parent: string | null;
  state: NodeState;
  result: NodeResult | null;
  owner: string | null;
  submitter: string | null;
  treeid: string | null;
  /** Array field: matches by element. */
  jobfilter: string | null;
  /** Array field: matches by element. */
  platform_filter: string | null;
  /** Array field: matches by element. */
  user_groups: string | null;
  processed_by_kcidb_bridge: boolean;
  retry_counter: number;
  created: TimestampOperand;
  updated: TimestampOperand;
  timeout: TimestampOperand;
  holdoff: TimestampOperand;
}

/** Value types of the `data` (and `debug`) paths the SDK knows. */
export type KnownDataFieldValues = {
  [K in `data.${RevisionName}.${RevisionStringKey}`]: string | null;
} & {
  [K in `data.${RevisionName}.tip_of_branch`]: boolean | null;
} & {
  [K in `data.${RevisionName}.version.${VersionNumberKey}`]: number | null;
} & {
  [K in `data.${RevisionName}.version.${VersionStringKey}`]: string | null;
} & {
  'data.arch': string | null;
  'data.defconfig': string | null;
  'data.compiler': string | null;
  'data.config_full': string | null;
  'data.kernel_type': string | null;
  'data.fragments': string | null;
  'data.platform': string | null;
  'data.device': string | null;
  'data.runtime': string | null;
  'data.job_id': string | null;
  'data.job_context': string | null;
  'data.test_source': string | null;
  'data.error_code': ErrorCode | CheckoutErrorCode | null;
  'data.error_msg': string | null;
  'data.architecture_filter': string | null;
  'data.regression': string | null;
  'data.fail_node': string | null;
  'data.pass_node': string | null;
  'data.node_sequence': string | null;
  /** Where `nodes.create` records its idempotency key. */
  'debug.idempotency_key': string | null;
};

/** Value type of every field the SDK knows by name. */
export type KnownFieldValues = TopLevelFieldValues & KnownDataFieldValues;
/** A field the SDK knows by name: a top-level node field or a known `data` path. */
export type KnownField = keyof KnownFieldValues & string;
/** An artifact by name, e.g. `artifacts.tarball`; artifact names are free. */
export type ArtifactField = `artifacts.${string}`;

declare const customFieldBrand: unique symbol;
/** A field path outside the known set, made with {@link field}. */
export type CustomField = string & { readonly [customFieldBrand]: true };

/** Any field a builder method accepts. */
export type FilterField = KnownField | ArtifactField | CustomField;

/** The operand type of field `F`. */
export type FieldValue<F extends FilterField> = F extends KnownField
  ? KnownFieldValues[F]
  : F extends ArtifactField
    ? string | null
    : FilterScalar;

/** Operators applied to one field; several combine with AND (`{ gte: a, lt: b }` is a range). */
export interface FilterOperators<V> {
  /** Equal to (numbers compare as integers, `__int`). */
  eq?: V;
  /** Not equal to. */
  ne?: V;
  /** Less than. */
  lt?: V;
  /** Less than or equal to. */
  lte?: V;
  /** Greater than. */
  gt?: V;
  /** Greater than or equal to. */
  gte?: V;
  /** Equal to any element; `[]` matches nothing. */
  in?: readonly V[];
  /** Equal to no element; `[]` is dropped. */
  nin?: readonly V[];
  /** Matches a case-sensitive regular expression (a `RegExp` must have no flags). */
  re?: string | RegExp;
}

/** A condition on one field: a value (plain equality) or an operator object. */
export type FilterCondition<V> = V | FilterOperators<V>;

/** The object form of a node filter. Unknown `data` paths go through {@link field} and the builder. */
export type NodeFilter = {
  [F in KnownField]?: FilterCondition<KnownFieldValues[F]>;
} & {
  [F in ArtifactField]?: FilterCondition<string | null>;
};

/** How the filter will be sent: Maestro supports supersets of KernelCI's query language (section 1). */
export type FilterMode = 'maestro' | 'kernelci';

/** Options of {@link compileFilter}. */
export interface CompileFilterOptions {
  /** Server dialect; default `"maestro"`. */
  mode?: FilterMode;
}

/** Result of {@link compileFilter}. */
export interface CompiledFilter {
  /** `[key, value]` query parameters, sorted by key; each key occurs once. */
  readonly params: ReadonlyArray<readonly [string, string]>;
  /** True when an `in: []` makes the filter match nothing: send no request (find yields nothing, count is 0). */
  readonly matchesNothing: boolean;
}

/** One condition, in the builder's internal representation. */
export interface FilterClause {
  /** Field path. */
  readonly field: string;
  /** Operator. */
  readonly op: FilterOperator;
  /** Operand as given. */
  readonly value: unknown;
}
