/**
 * Node query filters (SDK A6.2; contract §8). A filter is written as an object
 * (`{ kind: "job", state: { in: ["running", "available"] } }`) or with the builder
 * (`nodeFilter().eq("kind", "job").in("state", ["running", "available"])`), and compiled to the
 * server's `field__op=value` query parameters. Compilation refuses, with {@link FilterError}, every
 * input the server would silently misread, before anything is sent.
 */
import { FilterError, UnsupportedFeatureError } from './errors.js';
import type { CheckoutErrorCode, ErrorCode, NodeKind, NodeResult, NodeState, TimestampInput } from './states.js';
import { toWireTimestamp } from './states.js';

/** Filter operators. `eq` is plain equality; `in`/`nin` take lists; `re` a case-sensitive regular expression. */
export const FILTER_OPERATORS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 're'] as const;
/** A filter operator. */
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** Query parameters that are not conditions (contract §8); no field may carry these names. */
export const RESERVED_QUERY_KEYS = ['limit', 'offset', 'sort', 'cursor'] as const;

/** Fields whose values the server converts to datetimes (contract §8.2). */
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

/** Value types of the top-level node fields (contract §6.1). */
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

/** Value types of the `data` (and `debug`) paths the SDK knows (contract §6.3). */
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
  /** Where `nodes.create` records its idempotency key (A7.1). */
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

// Registered symbol, so builders made by the ESM and CJS copies of the SDK are recognised by both.
const BUILDER_BRAND = Symbol.for('maestro.sdk.nodeFilter');

/**
 * Immutable filter builder: each method returns a new builder, so a shared base filter can be
 * extended safely. Pass it wherever a {@link NodeFilter} is accepted, or compile it with {@link compileFilter}.
 */
export class NodeFilterBuilder {
  readonly #clauses: readonly FilterClause[];

  /** Prefer {@link nodeFilter}. */
  constructor(clauses: readonly FilterClause[] = []) {
    this.#clauses = Object.freeze([...clauses]);
    Object.defineProperty(this, BUILDER_BRAND, { value: this.#clauses, enumerable: false });
  }

  private add(field: string, op: FilterOperator, value: unknown): NodeFilterBuilder {
    return new NodeFilterBuilder([...this.#clauses, { field, op, value }]);
  }

  /** Plain equality. */
  eq<F extends FilterField>(field: F, value: FieldValue<F>): NodeFilterBuilder {
    return this.add(field, 'eq', value);
  }
  /** Not equal. */
  ne<F extends FilterField>(field: F, value: FieldValue<F>): NodeFilterBuilder {
    return this.add(field, 'ne', value);
  }
  /** Less than. */
  lt<F extends FilterField>(field: F, value: FieldValue<F>): NodeFilterBuilder {
    return this.add(field, 'lt', value);
  }
  /** Less than or equal. */
  lte<F extends FilterField>(field: F, value: FieldValue<F>): NodeFilterBuilder {
    return this.add(field, 'lte', value);
  }
  /** Greater than. */
  gt<F extends FilterField>(field: F, value: FieldValue<F>): NodeFilterBuilder {
    return this.add(field, 'gt', value);
  }
  /** Greater than or equal. */
  gte<F extends FilterField>(field: F, value: FieldValue<F>): NodeFilterBuilder {
    return this.add(field, 'gte', value);
  }
  /** Equal to any of `values`; an empty list matches nothing. */
  in<F extends FilterField>(field: F, values: readonly FieldValue<F>[]): NodeFilterBuilder {
    return this.add(field, 'in', values);
  }
  /** Equal to none of `values`; an empty list is dropped. */
  nin<F extends FilterField>(field: F, values: readonly FieldValue<F>[]): NodeFilterBuilder {
    return this.add(field, 'nin', values);
  }
  /** Matches the regular expression (case-sensitive, no flags). */
  re<F extends FilterField>(field: F, pattern: string | RegExp): NodeFilterBuilder {
    return this.add(field, 're', pattern);
  }
  /** The conditions collected so far. */
  clauses(): readonly FilterClause[] {
    return this.#clauses;
  }
}

/**
 * Starts a filter builder, optionally from an object-form filter.
 *
 * @example nodeFilter({ kind: 'job' }).in('state', ['running', 'available']).eq(field('data.lab.rack'), 'r3')
 */
export function nodeFilter(initial?: NodeFilter): NodeFilterBuilder {
  return new NodeFilterBuilder(initial ? clausesOfObject(initial) : []);
}

/**
 * Names a field the SDK does not know, such as `data.custom.path`, for the builder (the escape hatch of
 * A6.2). Its operands are untyped scalars.
 *
 * @throws FilterError on a name the server would misread (rule 3).
 */
export function field(path: string): CustomField {
  checkFieldName(path);
  return path as CustomField;
}

/** Whether `value` is a builder made by {@link nodeFilter}. */
export function isNodeFilterBuilder(value: unknown): value is NodeFilterBuilder {
  return typeof value === 'object' && value !== null && Array.isArray((value as Record<symbol, unknown>)[BUILDER_BRAND]);
}

function clausesOfBuilder(builder: NodeFilterBuilder): readonly FilterClause[] {
  return (builder as unknown as Record<symbol, readonly FilterClause[]>)[BUILDER_BRAND]!;
}

// ---------------------------------------------------------------------------------------------

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function clausesOfObject(filter: NodeFilter): FilterClause[] {
  if (!isPlainObject(filter)) throw new FilterError('A filter must be a plain object or a nodeFilter() builder');
  const clauses: FilterClause[] = [];
  for (const [name, condition] of Object.entries(filter)) {
    if (condition === undefined) continue;
    if (isPlainObject(condition)) {
      if (Object.keys(condition).length === 0) throw new FilterError(`Filter on '${name}' has no operator`, { field: name });
      // Operators left undefined (e.g. optional bounds) add no condition, like an undefined value.
      const ops = Object.entries(condition).filter(([, v]) => v !== undefined);
      for (const [op, value] of ops) {
        if (!(FILTER_OPERATORS as readonly string[]).includes(op)) {
          throw new FilterError(`Unknown filter operator '${op}' on '${name}'; use one of ${FILTER_OPERATORS.join(', ')}`, {
            field: name,
          });
        }
        clauses.push({ field: name, op: op as FilterOperator, value });
      }
    } else {
      clauses.push({ field: name, op: 'eq', value: condition });
    }
  }
  return clauses;
}

function checkFieldName(name: string): void {
  if (typeof name !== 'string' || name === '') throw new FilterError('A filter field name must be a non-empty string');
  // A key with one `__` is read as field__operator, and two or more are taken literally (contract §8.1).
  if (name.includes('__')) {
    throw new FilterError(`Filter field '${name}' contains '__', which the server reads as an operator separator`, {
      field: name,
    });
  }
  if ((RESERVED_QUERY_KEYS as readonly string[]).includes(name)) {
    throw new FilterError(`'${name}' is a reserved query parameter, not a filter field; use the method's options`, {
      field: name,
    });
  }
}

const DIGITS_RE = /^[0-9]+$/;
const TYPED_FIELDS = new Set<string>(['parent', 'retry_counter', ...TIMESTAMP_FIELDS]);

function isTimestampField(name: string): boolean {
  return (TIMESTAMP_FIELDS as readonly string[]).includes(name);
}

function describe(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return `'${value}'`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

interface Ctx {
  readonly field: string;
  readonly op: FilterOperator;
  readonly mode: FilterMode;
}

function fail(ctx: Ctx, why: string): never {
  throw new FilterError(`Filter ${ctx.field}${ctx.op === 'eq' ? '' : `__${ctx.op}`}: ${why}`, { field: ctx.field });
}

function unsupported(ctx: Ctx, why: string): never {
  throw new UnsupportedFeatureError(
    `Filter ${ctx.field}${ctx.op === 'eq' ? '' : `__${ctx.op}`}: ${why} is not supported by KernelCI servers`,
    { feature: 'query-supersets' },
  );
}

/** Encodes one scalar operand (not a list item); `plain` is true for equality. */
function encodeOperand(ctx: Ctx, value: unknown, plain: boolean): string {
  const timestamp = isTimestampField(ctx.field);
  if (value === null) {
    if (timestamp && ctx.mode === 'kernelci') unsupported(ctx, 'null on a timestamp field');
    return 'null';
  }
  if (value instanceof Date) {
    if (!timestamp) fail(ctx, 'a Date is only allowed on created, updated, timeout and holdoff');
    return wireTimestamp(ctx, value);
  }
  if (timestamp) {
    if (typeof value !== 'string') fail(ctx, `expects a Date or an ISO 8601 string, got ${describe(value)}`);
    return wireTimestamp(ctx, value);
  }
  switch (typeof value) {
    case 'boolean':
      // Only plain values are converted to booleans (contract §8.2 rule 2); an operator would compare with a string.
      if (!plain) fail(ctx, `a boolean operand is compared as the string '${value}' by the server; use plain equality`);
      return value ? 'true' : 'false';
    case 'number':
      return encodeNumber(ctx, value, plain);
    case 'string':
      if (plain) {
        // Rule 4: the server converts these plain values to true/false/null.
        if (/^(true|false)$/i.test(value) || value === 'null') {
          fail(ctx, `the string ${describe(value)} would be read as ${value.toLowerCase()}, so it cannot be searched for`);
        }
      } else if (DIGITS_RE.test(value) && !TYPED_FIELDS.has(ctx.field)) {
        // Rule 6: digits-only operator values become integers on the server.
        fail(ctx, `the digits-only string ${describe(value)} would be compared as an integer; pass a number to mean that`);
      }
      return value;
    default:
      fail(ctx, `unsupported operand ${describe(value)}`);
  }
}

function encodeNumber(ctx: Ctx, value: number, plain: boolean): string {
  // Rule 7: only digit strings become integers on the server.
  if (!Number.isSafeInteger(value)) fail(ctx, `${value} is not an integer; the server compares integers only`);
  // retry_counter converts every value with int(), so negative numbers are fine there.
  if (value < 0 && !plain && ctx.field !== 'retry_counter') {
    fail(ctx, `negative numbers are compared as strings outside plain equality`);
  }
  return String(value);
}

function wireTimestamp(ctx: Ctx, value: TimestampInput): string {
  try {
    return toWireTimestamp(value);
  } catch {
    return fail(ctx, `${describe(value)} is not a valid timestamp`);
  }
}

function encodeListItem(ctx: Ctx, item: unknown): string {
  if (Array.isArray(item)) fail(ctx, 'list elements must be scalars');
  if (item === null) {
    if (isTimestampField(ctx.field) && ctx.mode === 'kernelci') unsupported(ctx, 'null on a timestamp field');
    return 'null';
  }
  let text: string;
  if (item instanceof Date || isTimestampField(ctx.field)) {
    text = encodeOperand(ctx, item, true);
  } else if (typeof item === 'number') {
    text = encodeNumber(ctx, item, false);
  } else if (typeof item === 'boolean') {
    text = item ? 'true' : 'false';
  } else if (typeof item === 'string') {
    text = item;
  } else {
    return fail(ctx, `unsupported list element ${describe(item)}`);
  }
  // Rule 5: lists are comma-joined and split again on the server.
  if (text.includes(',')) fail(ctx, `the element ${describe(item)} contains a comma, which the server splits on`);
  return text;
}

function encodePattern(ctx: Ctx, value: unknown): string {
  let source: string;
  if (value instanceof RegExp) {
    // Rule 8: the server has no regex options.
    if (value.flags) fail(ctx, `the RegExp /${value.source}/${value.flags} has flags, which the server cannot apply`);
    source = value.source;
  } else if (typeof value === 'string') {
    source = value;
  } else {
    return fail(ctx, `expects a string or RegExp pattern, got ${describe(value)}`);
  }
  // KernelCI converts `re` operands like other operators; Maestro never does (contract §8.2).
  if (ctx.mode === 'kernelci' && DIGITS_RE.test(source)) {
    fail(ctx, `a digits-only pattern would be turned into an integer by KernelCI servers; write e.g. '(?:${source})'`);
  }
  return source;
}

/**
 * Compiles a filter into the server's query parameters (SDK A6.2): `[key, value]` pairs in
 * `field__op=value` form, sorted by key. `null` is sent as `null`, booleans as `true`/`false`,
 * timestamps with a `+00:00` offset, numeric equality as `field__int=N` (but `retry_counter=N`), and
 * `in`/`nin` lists comma-joined. `in: []` sets `matchesNothing`; `nin: []` is dropped.
 *
 * @throws FilterError on input the server would silently misread: an array for plain equality, the
 *   same key twice, a field name containing `__` or reserved (`limit`, `offset`, `sort`, `cursor`),
 *   a plain string `"true"`/`"false"`/`"null"`, an `in`/`nin` element with a comma, a digits-only
 *   string for `ne`/`lt`/`lte`/`gt`/`gte` (and `re` in KernelCI mode), a non-integer number or a
 *   negative one outside plain equality, a `RegExp` with flags.
 * @throws UnsupportedFeatureError in KernelCI mode for `parent: null`, any operator on `parent` or
 *   `retry_counter`, and `null` on a timestamp field.
 */
export function compileFilter(
  filter: NodeFilter | NodeFilterBuilder | undefined,
  options: CompileFilterOptions = {},
): CompiledFilter {
  const mode: FilterMode = options.mode ?? 'maestro';
  const clauses = filter === undefined ? [] : isNodeFilterBuilder(filter) ? clausesOfBuilder(filter) : clausesOfObject(filter);
  const params = new Map<string, string>();
  let matchesNothing = false;

  for (const { field: name, op, value } of clauses) {
    checkFieldName(name);
    const ctx: Ctx = { field: name, op, mode };
    if (value === undefined) continue;

    if (mode === 'kernelci') {
      if ((name === 'parent' || name === 'retry_counter') && op !== 'eq') unsupported(ctx, `an operator on ${name}`);
      if (name === 'parent' && value === null) unsupported(ctx, 'parent=null (root nodes)');
    }

    let key: string;
    let encoded: string;
    if (op === 'in' || op === 'nin') {
      if (!Array.isArray(value)) fail(ctx, `expects a list, got ${describe(value)}`);
      if (value.length === 0) {
        if (op === 'in') matchesNothing = true;
        continue;
      }
      key = `${name}__${op}`;
      encoded = value.map((item: unknown) => encodeListItem(ctx, item)).join(',');
    } else if (op === 're') {
      key = `${name}__re`;
      encoded = encodePattern(ctx, value);
    } else {
      if (Array.isArray(value)) {
        // Rule 1: repeated keys keep only their last value on the server.
        fail(ctx, op === 'eq' ? 'an array is not an equality value; use { in: [...] } to match any of several values' : 'expects a single value, not an array');
      }
      const plain = op === 'eq';
      encoded = encodeOperand(ctx, value, plain);
      if (plain) {
        key = typeof value === 'number' && name !== 'retry_counter' ? `${name}__int` : name;
      } else {
        key = `${name}__${op}`;
      }
    }
    // Rule 2: the server keeps only the last of repeated keys.
    if (params.has(key)) fail(ctx, `the query key '${key}' is given twice; the server would keep only the last one`);
    params.set(key, encoded);
  }

  const sorted = [...params.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    params: Object.freeze(sorted.map(([k, v]) => Object.freeze([k, v] as const))),
    matchesNothing,
  };
}
