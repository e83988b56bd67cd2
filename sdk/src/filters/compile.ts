/**
 * Compilation of a filter (object or builder form) into the server's `field__op=value` query
 * parameters, refusing with {@link FilterError} every input the server would silently misread.
 */
import { FilterError, UnsupportedFeatureError } from '../errors.js';
import type { NodeFilterBuilder } from '../filters.js';
import { toWireTimestamp, type TimestampInput } from '../states.js';
import { FILTER_OPERATORS, RESERVED_QUERY_KEYS, TIMESTAMP_FIELDS, type CompiledFilter, type CompileFilterOptions, type FilterClause, type FilterMode, type FilterOperator, type NodeFilter } from './fields.js';

// Registered symbol, so builders made by the ESM and CJS copies of the SDK are recognised by both.
export const BUILDER_BRAND = Symbol.for('maestro.sdk.nodeFilter');

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

export function clausesOfObject(filter: NodeFilter): FilterClause[] {
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

export function checkFieldName(name: string): void {
  if (typeof name !== 'string' || name === '') throw new FilterError('A filter field name must be a non-empty string');
  // A key with one `__` is read as field__operator, and two or more are taken literally.
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
      // Only plain values are converted to booleans; an operator would compare with a string.
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
  // KernelCI converts `re` operands like other operators; Maestro never does.
  if (ctx.mode === 'kernelci' && DIGITS_RE.test(source)) {
    fail(ctx, `a digits-only pattern would be turned into an integer by KernelCI servers; write e.g. '(?:${source})'`);
  }
  return source;
}

/**
 * Compiles a filter into the server's query parameters: `[key, value]` pairs in
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
