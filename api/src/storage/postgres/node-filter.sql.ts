/**
 * Compiles the neutral node filter (docs/nodes.md#query-language) to a SQL boolean expression over table `node`
 * with MongoDB's matching semantics on KernelCI's document layout (docs/deployment.md#running-on-mongodb):
 *
 * - a scalar column compares only with values of its own type, as BSON comparison does;
 * - null and missing are one thing: `eq null` matches both, `ne`/`nin` match them;
 * - jsonb columns and sub-paths use SQL/JSON path in lax mode, which walks one array level per
 *   step and tests array elements one by one, as MongoDB's dotted paths do.
 *
 * Every value is a bound parameter; JSON paths are built here (keys and literals JSON-escaped)
 * and bound too, never spliced into the SQL text.
 */
import type { FieldCondition, FilterOperator, FilterValue, NodeFilter } from '../../common/query/filter-model';

type ColumnType = 'text' | 'objectId' | 'timestamp' | 'boolean' | 'integer' | 'jsonb';

/** The node fields of docs/nodes.md#model and how migration 0001 stores them. */
const COLUMNS: Record<string, ColumnType> = {
  kind: 'text',
  name: 'text',
  group: 'text',
  state: 'text',
  result: 'text',
  owner: 'text',
  submitter: 'text',
  treeid: 'text',
  parent: 'objectId',
  created: 'timestamp',
  updated: 'timestamp',
  timeout: 'timestamp',
  holdoff: 'timestamp',
  processed_by_kcidb_bridge: 'boolean',
  retry_counter: 'integer',
  path: 'jsonb',
  artifacts: 'jsonb',
  data: 'jsonb',
  debug: 'jsonb',
  jobfilter: 'jsonb',
  platform_filter: 'jsonb',
  user_groups: 'jsonb',
};

/** Parameter casts; `bpchar` keeps the `parent` index usable, `numeric` takes any integer. */
const CASTS: Record<Exclude<ColumnType, 'jsonb'>, string> = {
  text: 'text',
  objectId: 'bpchar',
  timestamp: 'timestamptz',
  boolean: 'boolean',
  integer: 'numeric',
};

const SQL_OPERATORS: Record<'lt' | 'lte' | 'gt' | 'gte', string> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };

type Single = Exclude<FilterOperator, 'in' | 'nin' | 're'>;

export function compileNodeFilterSql(filter: NodeFilter, params: unknown[]): string {
  if (filter.matchesNothing) return 'FALSE';
  if (filter.conditions.length === 0) return 'TRUE';
  return filter.conditions.map((condition) => `(${compileCondition(condition, params)})`).join(' AND ');
}

function compileCondition(condition: FieldCondition, params: unknown[]): string {
  const { path, op, value } = condition;
  const [column, ...rest] = path;
  const type = Object.prototype.hasOwnProperty.call(COLUMNS, column) ? COLUMNS[column] : undefined;
  const target: Target =
    type === undefined || (rest.length > 0 && type !== 'jsonb')
      ? missingTarget // MongoDB finds no sub-field in a string, date or ObjectId, nor an unknown field
      : type === 'jsonb'
        ? jsonTarget(column, rest, params)
        : scalarTarget(column, type, params);
  if (op === 're') return target.regex(value as string);
  if (op === 'in') return anyOf((value as FilterValue[]).map((item) => single(target, 'eq', item)));
  if (op === 'nin') return allOf((value as FilterValue[]).map((item) => single(target, 'ne', item)));
  return single(target, op, value as FilterValue);
}

/** How one stored field answers the three primitive questions every operator reduces to. */
interface Target {
  /** `eq`/`lt`/`lte`/`gt`/`gte` with a non-null value; `null` when that value's type never compares. */
  compare(op: Exclude<Single, 'ne'>, value: Exclude<FilterValue, null>): string | null;
  /** Null or missing (MongoDB's `{field: null}`). */
  isNull(): string;
  /** `$regex`: matches string values only. */
  regex(pattern: string): string;
}

/** MongoDB semantics shared by all targets: null comparisons and `ne` as the negation of `eq`. */
function single(target: Target, op: Single, value: FilterValue): string {
  // Positive expressions may be SQL NULL (a NULL column), which WHERE reads as false; negate
  // only after folding that NULL to false, so `ne` matches null and missing like MongoDB's `$ne`.
  if (op === 'ne') return `NOT COALESCE((${single(target, 'eq', value)}), FALSE)`;
  if (value === null) {
    // MongoDB: `$lte`/`$gte: null` match exactly what `$eq: null` matches; `$lt`/`$gt: null` nothing.
    return op === 'lt' || op === 'gt' ? 'FALSE' : target.isNull();
  }
  const storable = avoidNul(op, value);
  if (storable === null) return 'FALSE';
  return target.compare(storable.op, storable.value) ?? 'FALSE';
}

/**
 * PostgreSQL text and jsonb cannot hold U+0000, so no stored string contains it: equality with such
 * a value is false, and a range bound can be cut at the NUL (`s < "a\0b"` ⇔ `s <= "a"`).
 */
function avoidNul(
  op: Exclude<Single, 'ne'>,
  value: Exclude<FilterValue, null>,
): { op: Exclude<Single, 'ne'>; value: Exclude<FilterValue, null> } | null {
  if (typeof value !== 'string' || !value.includes('\0')) return { op, value };
  if (op === 'eq') return null;
  const prefix = value.slice(0, value.indexOf('\0'));
  return { op: op === 'lt' || op === 'lte' ? 'lte' : 'gt', value: prefix };
}

function anyOf(expressions: string[]): string {
  return expressions.length === 0 ? 'FALSE' : expressions.map((e) => `(${e})`).join(' OR ');
}

function allOf(expressions: string[]): string {
  return expressions.length === 0 ? 'TRUE' : expressions.map((e) => `(${e})`).join(' AND ');
}

function bind(params: unknown[], value: unknown): string {
  params.push(value);
  return `$${params.length}`;
}

/** A field absent from every node: behaves as MongoDB's missing field. */
const missingTarget: Target = {
  compare: () => null,
  isNull: () => 'TRUE',
  regex: () => 'FALSE',
};

/** A real column: plain SQL comparisons, which can use the btree indexes of migration 0001. */
function scalarTarget(column: string, type: Exclude<ColumnType, 'jsonb'>, params: unknown[]): Target {
  const ref = `"${column}"`;
  return {
    compare(op, value) {
      if (!sameType(type, value)) return null;
      const param = `${bind(params, value instanceof Date ? value.toISOString() : value)}::${CASTS[type]}`;
      if (op === 'eq') return `${ref} = ${param}`;
      // MongoDB orders strings bytewise; the "C" collation does too (UTF-8).
      const collate = type === 'text' ? ' COLLATE "C"' : '';
      return `${ref} ${SQL_OPERATORS[op]} ${param}${collate}`;
    },
    isNull: () => `${ref} IS NULL`,
    // `parent` is an ObjectId in MongoDB, not a string, so only text columns can match a pattern.
    regex: (pattern) => (type === 'text' ? `${ref} ~ ${bind(params, pattern)}::text` : 'FALSE'),
  };
}

function sameType(type: Exclude<ColumnType, 'jsonb'>, value: Exclude<FilterValue, null>): boolean {
  switch (type) {
    case 'text':
    case 'objectId':
      return typeof value === 'string';
    case 'timestamp':
      return value instanceof Date;
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number';
  }
}

/**
 * `data` paths with a `(data #> '{…}', seq)` expression index (migration 0009), by dotted path, with
 * the path literal of the index expression (a literal, so that the planner matches the expression).
 * Keep in step with `maestro_data_lax_arrays`, which lists the same paths.
 */
const INDEXED_DATA_PATHS = new Map<string, string>(
  ['runtime', 'platform', 'kernel_revision.tree', 'kernel_revision.branch', 'kernel_revision.commit'].map((p) => [
    p,
    `{${p.split('.').join(',')}}`,
  ]),
);

/** Deepest path that gets an index-friendly containment pre-filter (2^(depth+1) alternatives). */
const MAX_CONTAINMENT_DEPTH = 3;

/**
 * Equality on a jsonb path as containment documents, one per way lax mode can reach the value:
 * every step may be an object or an array of objects, and the leaf the value or an array holding
 * it. Their OR is implied by the exact jsonpath test (kept beside it), and each `@>` can use the
 * GIN `jsonb_path_ops` indexes, so `data.runtime=x` is an index lookup rather than a scan.
 */
function containmentAlternatives(keys: string[], value: string | number | boolean): unknown[] {
  let docs: unknown[] = [value, [value]];
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i];
    docs = docs.flatMap((doc) => (i === 0 ? [{ [key]: doc }] : [{ [key]: doc }, [{ [key]: doc }]]));
  }
  return docs;
}

/**
 * A jsonb column or a path inside one. The filter `@.type() != "array"` keeps lax mode from
 * unwrapping a second array level, which MongoDB does not do (`{x: [[5]]}` does not match `x=5`).
 */
function jsonTarget(column: string, keys: string[], params: unknown[]): Target {
  const ref = `"${column}"`;
  const path = ['$', ...keys.map((key) => JSON.stringify(key))].join('.');
  const exists = (jsonPath: string) => `${ref} @? ${bind(params, jsonPath)}::jsonpath`;
  return {
    compare(op, value) {
      if (value instanceof Date) return null; // JSON holds no dates
      const operator = op === 'eq' ? '==' : SQL_OPERATORS[op];
      const exact = exists(`${path} ? (@.type() != "array" && @ ${operator} ${JSON.stringify(value)})`);
      if (op !== 'eq' || keys.length > MAX_CONTAINMENT_DEPTH) return exact;
      const indexed = column === 'data' ? INDEXED_DATA_PATHS.get(keys.join('.')) : undefined;
      if (indexed !== undefined) {
        // The scalar reached through objects only: jsonb equality is exact (typed, as BSON's), served by
        // the `(data #> '{…}', seq)` index of migration 0009. Array walking can match only rows with an
        // array on the way (`maestro_data_lax_arrays`, a partial index); those alone get the jsonpath test.
        return `(${ref} #> '${indexed}') = ${bind(params, JSON.stringify(value))}::jsonb OR (maestro_data_lax_arrays(${ref}) AND ${exact})`;
      }
      const alternatives = containmentAlternatives(keys, value).map((doc) => `${ref} @> ${bind(params, JSON.stringify(doc))}::jsonb`);
      return `(${alternatives.join(' OR ')}) AND ${exact}`;
    },
    isNull: () => `${ref} IS NULL OR NOT ${exists(path)} OR ${exists(`${path} ? (@.type() == "null")`)}`,
    regex: (pattern) =>
      `EXISTS (SELECT 1 FROM jsonb_path_query(${ref}, ${bind(params, `${path}[*]`)}::jsonpath) AS v(j) ` +
      `WHERE jsonb_typeof(v.j) = 'string' AND v.j #>> '{}' ~ ${bind(params, pattern)}::text)`,
  };
}

/** Appends `LIMIT`/`OFFSET` to a statement as bound parameters (an offset of 0 is left out). */
export function withLimitOffset(sql: string, params: unknown[], limit: number | undefined, offset: number | undefined): string {
  let statement = sql;
  if (limit !== undefined) statement += ` LIMIT ${bind(params, limit)}`;
  if (offset) statement += ` OFFSET ${bind(params, offset)}`;
  return statement;
}
