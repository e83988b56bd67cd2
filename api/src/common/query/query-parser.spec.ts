import fc from 'fast-check';
import { BadRequestError } from '../errors/domain-errors';
import type { FieldCondition, NodeFilter } from './filter-model';
import { parseNodeQuery } from './query-parser';
import { lastValue, type QueryParams } from './query-params';

/** As the HTTP layer hands queries over: decoded (`+` is a space), repeated keys as arrays. */
function parse(queryString: string): NodeFilter {
  const params: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(queryString)) (params[key] ??= []).push(value);
  return parseNodeQuery(params);
}

const cond = (field: string, op: FieldCondition['op'], value: FieldCondition['value']): FieldCondition => ({
  path: field.split('.'),
  op,
  value,
});
const matching = (...conditions: FieldCondition[]): NodeFilter => ({ conditions, matchesNothing: false });
const NOTHING: NodeFilter = { conditions: [], matchesNothing: true };

const ID = '65a1355ee98651d0fe81e40f';
const ID2 = '65a1355ee98651d0fe81e410';

describe('parseNodeQuery: examples', () => {
  it.each<[string, NodeFilter]>([
    [
      'kind=checkout&data.kernel_revision.tree=mainline&limit=100&offset=0',
      matching(cond('kind', 'eq', 'checkout'), cond('data.kernel_revision.tree', 'eq', 'mainline')),
    ],
    [
      'state=running&timeout__lt=2026-07-20T10:00:00.123456%2B00:00',
      matching(cond('state', 'eq', 'running'), cond('timeout', 'lt', new Date('2026-07-20T10:00:00.123Z'))),
    ],
    [
      'state=available&holdoff__lt=2026-07-20T10:00:00%2B00:00',
      matching(cond('state', 'eq', 'available'), cond('holdoff', 'lt', new Date('2026-07-20T10:00:00Z'))),
    ],
    [`parent=${ID}`, matching(cond('parent', 'eq', ID))],
    ['kind=kbuild&name__re=x86', matching(cond('kind', 'eq', 'kbuild'), cond('name', 're', 'x86'))],
    ['state__in=running,done', matching(cond('state', 'in', ['running', 'done']))],
    [
      'created__gt=2024-02-26T13:21:55.301000&created__lt=2024-11-01&kind=checkout',
      matching(
        cond('created', 'gt', new Date('2024-02-26T13:21:55.301Z')),
        cond('created', 'lt', new Date('2024-11-01T00:00:00Z')),
        cond('kind', 'eq', 'checkout'),
      ),
    ],
    ['result=null', matching(cond('result', 'eq', null))],
    [
      'kind=job&created__gt=2025-01-01&limit=1000&offset=2000',
      matching(cond('kind', 'eq', 'job'), cond('created', 'gt', new Date('2025-01-01T00:00:00Z'))),
    ],
  ])('%s', (query, expected) => {
    expect(parse(query)).toEqual(expected);
  });
});

describe('parseNodeQuery: ', () => {
  it.each<[string, string, NodeFilter]>([
    ['70 dotted path', 'artifacts.tarball=https://x.org/t', matching(cond('artifacts.tarball', 'eq', 'https://x.org/t'))],
    ['70 array field', 'path=checkout', matching(cond('path', 'eq', 'checkout'))],
    ['70 unknown field', 'foo=null', matching(cond('foo', 'eq', null))],
    ['70 last value wins', 'kind=job&kind=test', matching(cond('kind', 'eq', 'test'))],
    ['71 null', 'result=null', matching(cond('result', 'eq', null))],
    ['71 ne null', 'result__ne=null', matching(cond('result', 'ne', null))],
    ['71 boolean any case', 'processed_by_kcidb_bridge=TRUE', matching(cond('processed_by_kcidb_bridge', 'eq', true))],
    ['71 false', 'processed_by_kcidb_bridge=False', matching(cond('processed_by_kcidb_bridge', 'eq', false))],
    ['72 lt digits', 'data.x__lt=5', matching(cond('data.x', 'lt', 5))],
    ['72 lte digits', 'data.x__lte=5', matching(cond('data.x', 'lte', 5))],
    ['72 gt digits', 'data.x__gt=5', matching(cond('data.x', 'gt', 5))],
    ['72 gte digits', 'data.x__gte=5', matching(cond('data.x', 'gte', 5))],
    ['72 ne digits', 'data.x__ne=5', matching(cond('data.x', 'ne', 5))],
    ['72 operator string', 'name__lt=5a', matching(cond('name', 'lt', '5a'))],
    ['72 operator -digits stays string', 'data.x__gt=-5', matching(cond('data.x', 'gt', '-5'))],
    ['72 operator boolean stays string', 'data.x__ne=true', matching(cond('data.x', 'ne', 'true'))],
    ['72 plain digits stay string', 'data.x=5', matching(cond('data.x', 'eq', '5'))],
    ['72 int', 'data.x__int=5', matching(cond('data.x', 'eq', 5))],
    ['72 int python forms', 'data.x__int=+1_000', matching(cond('data.x', 'eq', 1000))],
    ['72 re never converted', 'data.x__re=5', matching(cond('data.x', 're', '5'))],
    ['72 re on typed field', 'created__re=2024', matching(cond('created', 're', '2024'))],
    ['72 in', 'data.x__in=a,TRUE', matching(cond('data.x', 'in', ['a', 'TRUE', true]))],
    ['72 nin', 'data.x__nin=a,7', matching(cond('data.x', 'nin', ['a', '7', 7]))],
    ['73 date', 'created__gt=2024-11-01', matching(cond('created', 'gt', new Date('2024-11-01T00:00:00Z')))],
    ['73 offset', 'created__gt=2024-11-01T02:00:00%2B02:00', matching(cond('created', 'gt', new Date('2024-11-01T00:00:00Z')))],
    ['73 Z', 'updated__lte=2024-02-26T13:21:55Z', matching(cond('updated', 'lte', new Date('2024-02-26T13:21:55Z')))],
    ['73 space', 'created=2024-02-26+13:21:55', matching(cond('created', 'eq', new Date('2024-02-26T13:21:55Z')))],
    ['73 holdoff null', 'holdoff=null', matching(cond('holdoff', 'eq', null))],
    ['74 parent', `parent=${ID.toUpperCase()}`, matching(cond('parent', 'eq', ID))],
    ['74 parent null', 'parent=null', matching(cond('parent', 'eq', null))],
    ['74 parent in', `parent__in=${ID},${ID2}`, matching(cond('parent', 'in', [ID, ID2]))],
    ['74 parent in null', `parent__in=${ID},null`, matching(cond('parent', 'in', [ID, null]))],
    ['74 parent ne null', 'parent__ne=null', matching(cond('parent', 'ne', null))],
    ['75 retry_counter', 'retry_counter=1', matching(cond('retry_counter', 'eq', 1))],
    ['75 retry_counter gt', 'retry_counter__gt=0', matching(cond('retry_counter', 'gt', 0))],
    ['75 retry_counter in', 'retry_counter__in=0,1', matching(cond('retry_counter', 'in', [0, 1]))],
    ['76 in with null', 'data.x__in=5,null', matching(cond('data.x', 'in', ['5', 5, 'null', null]))],
    ['77 unknown operator alone', 'name__exists=true', NOTHING],
    ['77 no eq operator', 'name__eq=x', NOTHING],
    ['77 empty operator', 'name__=x', NOTHING],
    ['77 unknown beside known', 'name__exists=true&name__ne=a', matching(cond('name', 'ne', 'a'))],
    ['77 unknown beside plain', 'name=a&name__contains=b', matching(cond('name', 'eq', 'a'))],
    ['77 two __ is literal', 'a__b__c=x', matching(cond('a__b__c', 'eq', 'x'))],
    ['77 $where', '$where=1', NOTHING],
    ['77 $ operator', 'name__$where=1', NOTHING],
    ['77 $ in a segment', 'data.$gt=1&kind=job', NOTHING],
    ['77 id', `id=${ID}`, NOTHING],
    ['77 _id', `_id__ne=${ID}`, NOTHING],
    ['reserved keys only', 'limit=1&offset=2&sort=-created&cursor=x', matching()],
  ])('%s: %s', (_label, query, expected) => {
    expect(parse(query)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['created=garbage', "Invalid isoformat string: 'garbage'"],
    ['created__in=2024-01-01,nope', "Invalid isoformat string: 'nope'"],
    ['holdoff__lt=2024-13-01', "Invalid isoformat string: '2024-13-01'"],
    ['parent=zz', "'zz' is not a valid ObjectId, it must be a 12-byte input or a 24-character hex string"],
    [`parent__in=${ID},zz`, "'zz' is not a valid ObjectId, it must be a 12-byte input or a 24-character hex string"],
    ['retry_counter=x', "invalid literal for int() with base 10: 'x'"],
    ['retry_counter__gt=1.5', "invalid literal for int() with base 10: '1.5'"],
    ['retry_counter=true', "invalid literal for int() with base 10: 'true'"],
    ['data.x__int=5a', "invalid literal for int() with base 10: '5a'"],
    ['data.x__int=', "invalid literal for int() with base 10: ''"],
  ])('%s → 400', (query, detail) => {
    expect(() => parse(query)).toThrow(new BadRequestError(detail));
  });

  it.each(['name__re=(', 'name__re=[a-', 'name__re=a{2,1}', `name__re=${'a'.repeat(1001)}`, 'name__re=a%00b'])(
    'invalid regular expression %s → 400',
    (query) => {
      let error: unknown;
      try {
        parse(query);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as BadRequestError).detail).toMatch(/^Invalid regular expression: ./);
    },
  );
});

describe('lastValue', () => {
  it('takes the last of repeated values', () => {
    expect(lastValue(['a', 'b'])).toBe('b');
    expect(lastValue('a')).toBe('a');
    expect(lastValue(undefined)).toBeUndefined();
  });
});

describe('parseNodeQuery properties', () => {
  const text = fc.string({ unit: 'grapheme-ascii', maxLength: 12 });
  const key = fc.oneof(
    text,
    fc.tuple(
      fc.constantFrom('name', 'data.x', 'parent', 'created', 'retry_counter', 'foo', '$x', 'id'),
      fc.constantFrom('lt', 'lte', 'gt', 'gte', 'ne', 're', 'in', 'nin', 'int', 'exists', ''),
    ).map(([field, op]) => `${field}__${op}`),
  );
  const value = fc.oneof(text, fc.constantFrom('null', 'TRUE', '5', '2024-11-01', 'a,5,null', '(', ID));
  const query = fc.dictionary(key, fc.oneof(value, fc.array(value, { minLength: 1, maxLength: 3 })));

  it('throws nothing but BadRequestError', () => {
    fc.assert(
      fc.property(query, (params) => {
        try {
          parseNodeQuery(params);
        } catch (error) {
          return error instanceof BadRequestError;
        }
        return true;
      }),
    );
  });

  it('never turns a reserved key into a condition', () => {
    const reserved = fc.dictionary(fc.constantFrom('limit', 'offset', 'sort', 'cursor'), value);
    fc.assert(
      fc.property(reserved, (params) => {
        expect(parseNodeQuery(params)).toEqual(matching());
      }),
    );
  });

  it('keeps the string form of every __in/__nin item on untyped fields', () => {
    const items = fc.array(fc.string({ unit: 'grapheme-ascii', maxLength: 6 }).filter((s) => !s.includes(',')), {
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(fc.constantFrom('in', 'nin'), items, (op, list) => {
        const filter = parseNodeQuery({ [`data.x__${op}`]: list.join(',') });
        const values = filter.conditions[0].value as unknown[];
        for (const item of list) expect(values).toContain(item);
      }),
    );
  });

  it('produces no condition whose field has a `$` segment', () => {
    fc.assert(
      fc.property(query, (params: QueryParams) => {
        try {
          const filter = parseNodeQuery(params);
          return filter.conditions.every((c) => c.path.every((segment) => !segment.startsWith('$')));
        } catch {
          return true;
        }
      }),
    );
  });
});
