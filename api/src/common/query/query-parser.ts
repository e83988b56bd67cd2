/**
 * The node query language (docs/nodes.md#query-language): turns decoded query parameters into the neutral
 * {@link NodeFilter}. All value conversion happens here, so storage adapters never re-interpret
 * strings.
 */
import { parseIsoDatetime } from '../datetime';
import { BadRequestError } from '../errors/domain-errors';
import { parseObjectId } from '../object-id';
import {
  DATETIME_FIELDS,
  FieldCondition,
  FilterOperator,
  FilterValue,
  INTEGER_FIELDS,
  NodeFilter,
  OBJECT_ID_FIELDS,
} from './filter-model';
import { lastValue, parseFilterBoolean, parsePythonInt, type QueryParams } from './query-params';
import { regexRefusal } from './regex-safety';

/** Keys the endpoints handle themselves; never conditions (docs/nodes.md). */
const RESERVED_KEYS = new Set(['limit', 'offset', 'sort', 'cursor']);

/** Operators of docs/nodes.md#query-language (`int` is equality with an integer; there is no `eq`). */
const KNOWN_OPERATORS = new Set(['lt', 'lte', 'gt', 'gte', 'ne', 're', 'in', 'nin', 'int']);
/** Operators whose digit-only values become integers on untyped fields (docs/nodes.md#query-language rule 3). */
const NUMERIC_OPERATORS = new Set(['lt', 'lte', 'gt', 'gte', 'ne']);

const DIGITS = /^[0-9]+$/;

interface RawCondition {
  field: string;
  /** Null for a plain key (equality), otherwise the text after `__`, possibly unknown or empty. */
  op: string | null;
  value: string;
}

export function parseNodeQuery(query: QueryParams): NodeFilter {
  const raw = collectConditions(query);
  const nothing: NodeFilter = { conditions: [], matchesNothing: true };
  if (raw.some((c) => isUnmatchableField(c.field))) return nothing;
  const known = raw.filter(isKnown);
  // An unknown operator alone on a field can match nothing; beside other conditions on the same
  // field it is ignored (docs/nodes.md#query-language).
  const knownFields = new Set(known.map((c) => c.field));
  if (raw.some((c) => !isKnown(c) && !knownFields.has(c.field))) return nothing;
  return { conditions: known.map(toCondition), matchesNothing: false };
}

function isKnown(condition: RawCondition): boolean {
  return condition.op === null || KNOWN_OPERATORS.has(condition.op);
}

function collectConditions(query: QueryParams): RawCondition[] {
  const conditions: RawCondition[] = [];
  for (const [key, values] of Object.entries(query)) {
    const value = lastValue(values);
    if (value === undefined || RESERVED_KEYS.has(key)) continue;
    conditions.push({ ...splitKey(key), value });
  }
  return conditions;
}

/** Exactly one `__` separates field and operator; with two or more the key is a field name (docs/nodes.md#query-language). */
function splitKey(key: string): { field: string; op: string | null } {
  const parts = key.split('__');
  return parts.length === 2 ? { field: parts[0], op: parts[1] } : { field: key, op: null };
}

/**
 * Fields no query may reach: a `$` segment would be a MongoDB operator, the node id is not
 * filterable (ids are ObjectIds, query values strings), and no stored key can contain NUL (docs/nodes.md#query-language).
 */
function isUnmatchableField(field: string): boolean {
  const segments = field.split('.');
  return (
    segments.some((segment) => segment.startsWith('$')) ||
    segments[0] === 'id' ||
    segments[0] === '_id' ||
    field.includes('\0')
  );
}

function toCondition({ field, op, value }: RawCondition): FieldCondition {
  const path = field.split('.');
  switch (op) {
    case 're':
      return { path, op, value: validatePattern(value) };
    case 'int':
      return { path, op: 'eq', value: isTyped(field) ? convertTyped(field, value) : parsePythonInt(value, { unbounded: true }) };
    case 'in':
    case 'nin':
      return { path, op, value: value.split(',').flatMap((item) => listItem(field, item)) };
    case null:
      return { path, op: 'eq', value: convertSingle(field, op, value) };
    default:
      return { path, op: op as FilterOperator, value: convertSingle(field, op, value) };
  }
}

function isTyped(field: string): boolean {
  return (
    (OBJECT_ID_FIELDS as readonly string[]).includes(field) ||
    (DATETIME_FIELDS as readonly string[]).includes(field) ||
    (INTEGER_FIELDS as readonly string[]).includes(field)
  );
}

/** Typed fields: fixed conversion, `null` included (docs/nodes.md#query-language, table). */
function convertTyped(field: string, value: string): FilterValue {
  if (value === 'null') return null;
  if ((OBJECT_ID_FIELDS as readonly string[]).includes(field)) return parseObjectId(value);
  if ((DATETIME_FIELDS as readonly string[]).includes(field)) return parseDatetime(value);
  return parsePythonInt(value, { unbounded: true });
}

/** Untyped fields, single values: docs/nodes.md#query-language rules 1, 2, 3 and 5. */
function convertSingle(field: string, op: string | null, value: string): FilterValue {
  if (isTyped(field)) return convertTyped(field, value);
  if (value === 'null') return null;
  if (op === null) return parseFilterBoolean(value) ?? value;
  return NUMERIC_OPERATORS.has(op) && DIGITS.test(value) ? Number(value) : value;
}

/**
 * One `in`/`nin` item: converted on typed fields; on other fields the string itself plus its typed
 * form (docs/nodes.md#query-language rule 4, docs/nodes.md#query-language), so `5,null` matches "5", 5, null and missing.
 */
function listItem(field: string, item: string): FilterValue[] {
  if (isTyped(field)) return [convertTyped(field, item)];
  if (item === 'null') return [item, null];
  const bool = parseFilterBoolean(item);
  if (bool !== undefined) return [item, bool];
  return DIGITS.test(item) ? [item, Number(item)] : [item];
}

function parseDatetime(value: string): Date {
  const date = parseIsoDatetime(value);
  if (!date) throw new BadRequestError(`Invalid isoformat string: '${value}'`);
  return date;
}

/**
 * `re` values stay strings (docs/nodes.md#query-language) but must compile, and their cost is bounded before any
 * database sees them (docs/security.md): a bad or too complex pattern is a 400, not a database
 * error (docs/nodes.md#query-language). NUL is refused as MongoDB refuses it in a regular expression.
 */
function validatePattern(pattern: string): string {
  const refusal = regexRefusal(pattern);
  if (refusal !== null) throw new BadRequestError(`Invalid regular expression: ${refusal}`);
  return pattern;
}
