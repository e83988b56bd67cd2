/**
 * `GET /nodes` and `GET /count` of the fake: the `field__op=value` filters of the query
 * language (docs/nodes.md) and the two pagings, keyset (`sort`, `next_cursor`, Maestro mode)
 * and offset.
 */
import { json, microsOf, type Json, type Mode } from './wire.js';

const PAGING = new Set(['limit', 'offset', 'sort', 'cursor']);
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;

function valueAt(node: Json, field: string): unknown {
  return field.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Json)[k] : undefined), node);
}

/** Orders two values as the API does: timestamps by time, numbers as numbers, the rest as text. */
function compare(actual: unknown, wanted: string): number {
  if (typeof actual === 'number') return actual - Number(wanted);
  const a = String(actual);
  if (TIMESTAMP.test(a) && TIMESTAMP.test(wanted)) return microsOf(a) - microsOf(wanted);
  return a < wanted ? -1 : a > wanted ? 1 : 0;
}

/** Whether a node passes every filter of the query string. */
export function matches(node: Json, query: URLSearchParams): boolean {
  for (const [rawKey, value] of query) {
    if (PAGING.has(rawKey)) continue;
    const [field, op = 'eq'] = rawKey.split('__');
    const actual = valueAt(node, field!);
    const present = actual !== undefined && actual !== null;
    switch (op) {
      case 'eq':
        // An array field matches by element, as in the query language.
        if (Array.isArray(actual)) {
          if (!actual.map(String).includes(value)) return false;
        } else if (String(actual ?? 'null') !== value) return false;
        break;
      case 'int':
        if (actual !== Number(value)) return false;
        break;
      case 'ne':
        if (String(actual ?? 'null') === value) return false;
        break;
      case 'in':
        if (!value.split(',').includes(String(actual))) return false;
        break;
      case 'nin':
        if (value.split(',').includes(String(actual))) return false;
        break;
      case 're':
        if (!present || !new RegExp(value).test(String(actual))) return false;
        break;
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte': {
        if (!present) return false;
        const c = compare(actual, value);
        if (!(op === 'lt' ? c < 0 : op === 'lte' ? c <= 0 : op === 'gt' ? c > 0 : c >= 0)) return false;
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

interface Cursor {
  sort: string;
  after: [unknown, string];
}

/** Orders by the sort field, then by id, both in the sort's direction. */
function order(sort: string): (a: Json, b: Json) => number {
  const desc = sort.startsWith('-');
  const field = desc ? sort.slice(1) : sort;
  return (a, b) => {
    const x = valueAt(a, field);
    const y = valueAt(b, field);
    const byField = field === 'id' || x === y ? 0 : compare(x, String(y));
    const c = byField !== 0 ? byField : (a.id as string) < (b.id as string) ? -1 : (a.id as string) > (b.id as string) ? 1 : 0;
    return desc ? -c : c;
  };
}

/** Answers `GET /nodes` (a page) or `GET /count` (a number) over the stored nodes. */
export function answerNodeQuery(all: Iterable<Json>, path: string, query: URLSearchParams, mode: Mode): Response {
  let items = [...all].filter((n) => matches(n, query)).sort(order('id'));
  if (path === '/count') return json(200, items.length);
  const limit = Number(query.get('limit') ?? 250);
  if (mode === 'maestro' && (query.has('sort') || query.has('cursor'))) {
    const cursor = query.has('cursor') ? (JSON.parse(atob(query.get('cursor')!)) as Cursor) : null;
    const sort = cursor ? cursor.sort : query.get('sort')!;
    const by = order(sort);
    items.sort(by);
    if (cursor) {
      const field = sort.replace(/^-/, '');
      const mark: Json = { id: cursor.after[1] };
      if (field !== 'id') mark[field] = cursor.after[0];
      items = items.filter((n) => by(n, mark) > 0);
    }
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    const next = items.length > limit && last ? btoa(JSON.stringify({ sort, after: [valueAt(last, sort.replace(/^-/, '')), last.id] })) : null;
    return json(200, { items: page, total: items.length, limit, offset: 0, next_cursor: next });
  }
  const offset = Number(query.get('offset') ?? 0);
  return json(200, { items: items.slice(offset, offset + limit), total: items.length, limit, offset });
}
