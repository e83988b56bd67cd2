/**
 * `sort` and the opaque keyset `cursor` of `GET /nodes` (docs/nodes.md).
 *
 * A cursor is base64url JSON holding the sort order, a hash of the filter and the last item's sort
 * value and id. It is opaque to clients and bound to the filter and sort it was issued for: any
 * mismatch or tampering that breaks its shape is 400 `Invalid cursor`.
 */
import { createHash } from 'node:crypto';
import { BadRequestError } from '../common/errors/domain-errors';
import { isObjectIdString } from '../common/object-id';
import { lastValue, parsePythonInt, type QueryParams } from '../common/query/query-params';
import type { KeysetPosition, NodeRecord, NodeSort, SortField } from '../storage/ports';

const RESERVED = new Set(['limit', 'offset', 'sort', 'cursor']);
const SORT_FIELDS: readonly SortField[] = ['id', 'created', 'updated'];

/** `sort=<field>` or `sort=-<field>`; 400 `Invalid sort field: <value>` otherwise. */
export function parseSort(query: QueryParams): NodeSort | undefined {
  const raw = lastValue(query.sort);
  if (raw === undefined) return undefined;
  const descending = raw.startsWith('-');
  const field = descending ? raw.slice(1) : raw;
  if (!(SORT_FIELDS as readonly string[]).includes(field)) throw new BadRequestError(`Invalid sort field: ${raw}`);
  return { field: field as SortField, descending };
}

function sortKey(sort: NodeSort): string {
  return `${sort.descending ? '-' : ''}${sort.field}`;
}

/** Hash of the filter conditions (every non-reserved key with its effective value), order-free. */
function filterHash(query: QueryParams): string {
  const pairs = Object.entries(query)
    .filter(([key, value]) => !RESERVED.has(key) && value !== undefined)
    .map(([key, value]) => [key, lastValue(value)])
    .sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(pairs)).digest('base64url').slice(0, 22);
}

interface CursorBody {
  s: string;
  f: string;
  v: string;
  i: string;
}

export function encodeCursor(query: QueryParams, sort: NodeSort, node: NodeRecord): string {
  const value = sort.field === 'id' ? node.id : node[sort.field].toISOString();
  const body: CursorBody = { s: sortKey(sort), f: filterHash(query), v: value, i: node.id };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** The sort order and position a cursor continues from; 400 `Invalid cursor` on any mismatch. */
export function decodeCursor(query: QueryParams, cursor: string, sort: NodeSort | undefined): { sort: NodeSort; after: KeysetPosition } {
  const invalid = new BadRequestError('Invalid cursor');
  let body: CursorBody;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorBody;
  } catch {
    throw invalid;
  }
  if (typeof body !== 'object' || body === null || typeof body.s !== 'string' || typeof body.v !== 'string' || !isObjectIdString(body.i)) {
    throw invalid;
  }
  const cursorSort = parseCursorSort(body.s);
  if (!cursorSort || body.f !== filterHash(query) || (sort && sortKey(sort) !== body.s)) throw invalid;
  let value: string | Date = body.v;
  if (cursorSort.field !== 'id') {
    value = new Date(body.v);
    if (Number.isNaN(value.getTime())) throw invalid;
  } else if (!isObjectIdString(body.v)) {
    throw invalid;
  }
  return { sort: cursorSort, after: { value, id: body.i } };
}

function parseCursorSort(raw: string): NodeSort | null {
  try {
    return parseSort({ sort: raw }) ?? null;
  } catch {
    return null;
  }
}

/** `limit`/`offset` of `/nodes/fast`: optional Python integers, 400 with Python's int() text otherwise (docs/nodes.md#endpoints). */
export function parseFastPaging(query: QueryParams): { limit?: number; offset: number } {
  const read = (name: 'limit' | 'offset'): number | undefined => {
    const raw = lastValue(query[name]);
    return raw === undefined ? undefined : parsePythonInt(raw);
  };
  const limit = read('limit');
  const offset = read('offset') ?? 0;
  // limit=0 means "no limit" (MongoDB's limit(0)); a negative limit acts as its absolute value.
  return { limit: limit ? Math.abs(limit) : undefined, offset: Math.max(0, offset) };
}
