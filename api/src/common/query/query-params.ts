/**
 * The one home of query-parameter and path-parameter parsing (docs/nodes.md, docs/events.md):
 * every controller reads raw query values through these functions, so "a repeated key takes its
 * last value", booleans and integers mean the same on every route.
 *
 * Two integer rules exist because KernelCI has two:
 * - {@link parsePythonInt}: parameters KernelCI converts with Python's `int()` (`/nodes/fast`
 *   `limit`/`offset`, `/events` `limit`/`offset`, `__int` filters): surrounding spaces, a sign and
 *   `_` between digits are accepted; anything else is 400 with Python's error text;
 * - {@link parseTypedInt}: parameters FastAPI declares as `int` (`limit`/`offset` of paginated
 *   lists, `sub_id`): anything else is FastAPI's 422 issue list.
 * Both refuse integers beyond 2^53 − 1 (the largest the API stores exactly), which KernelCI passes
 * to its database and answers with a 500; filter values, which only compare, are not bounded.
 */
import { BadRequestError, invalidIntMessage, UnprocessableError } from '../errors/domain-errors';
import { MAX_INTEGER } from '../validation/limits';

/** Decoded query parameters: a repeated key arrives as an array. */
export type QueryParams = Record<string, string | string[] | undefined>;

/** A repeated query key takes its last value. */
export function lastValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** Every key with its last value, keys without a value left out. */
export function lastValues(query: QueryParams): Map<string, string> {
  const values = new Map<string, string>();
  for (const [key, raw] of Object.entries(query)) {
    const value = lastValue(raw);
    if (value !== undefined) values.set(key, value);
  }
  return values;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** Boolean query parameter (`True`, `yes`, `0`… in any case); anything else is FastAPI's 422. */
export function parseQueryBoolean(value: string | string[] | undefined, name: string, fallback: boolean): boolean {
  const text = lastValue(value);
  if (text === undefined) return fallback;
  const lower = text.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  throw new UnprocessableError([{ type: 'bool_parsing', loc: ['query', name], msg: 'Input should be a valid boolean, unable to interpret input', input: text }]);
}

/** `true`/`false` in any letter case, as exact-match filters convert them; undefined otherwise. */
export function parseFilterBoolean(value: string): boolean | undefined {
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return undefined;
}

/** What Python's `int()` accepts (ASCII digits): surrounding spaces, a sign, `_` between digits. */
const PYTHON_INT = /^\s*[+-]?[0-9]+(?:_[0-9]+)*\s*$/;

/**
 * Python's `int(value)`; 400 with its error text otherwise, and 400 beyond ±(2^53 − 1) unless
 * `unbounded` (a filter value only compares, so `retry_counter__lt=1e30 digits` keeps its meaning).
 */
export function parsePythonInt(value: string, options: { unbounded?: boolean } = {}): number {
  if (!PYTHON_INT.test(value)) throw new BadRequestError(invalidIntMessage(value));
  const number = Number(value.replace(/_/g, ''));
  if (!options.unbounded && Math.abs(number) > MAX_INTEGER) throw new BadRequestError(`Integer out of range: '${value.trim()}' (max ${MAX_INTEGER})`);
  return number;
}

const TYPED_INT = /^[+-]?\d+$/;

/**
 * A FastAPI `int` parameter in `location` (`query` or `path`); absent gives `fallback`. A value
 * that is not an integer, below `min` or beyond 2^53 − 1 is FastAPI's 422, collected into `issues`
 * when given (to report several parameters at once) or thrown.
 */
export function parseTypedInt(
  raw: string | undefined,
  name: string,
  options: { location?: 'query' | 'path'; fallback?: number; min?: number; issues?: { type: string; loc: (string | number)[]; msg: string; input?: unknown }[] } = {},
): number | undefined {
  const { location = 'query', fallback, min, issues } = options;
  if (raw === undefined) return fallback;
  const loc = [location, name];
  let issue;
  const value = Number(raw.trim());
  if (!TYPED_INT.test(raw.trim())) {
    issue = { type: 'int_parsing', loc, msg: 'Input should be a valid integer, unable to parse string as an integer', input: raw };
  } else if (min !== undefined && value < min) {
    issue = { type: 'greater_than_equal', loc, msg: `Input should be greater than or equal to ${min}`, input: raw };
  } else if (Math.abs(value) > MAX_INTEGER) {
    issue = { type: 'less_than_equal', loc, msg: `Input should be less than or equal to ${MAX_INTEGER}`, input: raw };
  }
  if (!issue) return value;
  if (!issues) throw new UnprocessableError([issue]);
  issues.push(issue);
  return fallback;
}

/** An integer path parameter such as `sub_id`; FastAPI's 422 otherwise. */
export function parsePathInteger(value: string, name: string): number {
  return parseTypedInt(value, name, { location: 'path' })!;
}
