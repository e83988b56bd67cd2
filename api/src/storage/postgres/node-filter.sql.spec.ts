import { PGlite } from '@electric-sql/pglite';
import type { FieldCondition, NodeFilter } from '../../common/query/filter-model';
import { parseNodeQuery } from '../../common/query/query-parser';
import { m0001Nodes } from './migrations/0001-nodes';
import { m0009NodeQueryIndexes } from './migrations/0009-node-query-indexes';
import { compileNodeFilterSql } from './node-filter.sql';

/** Short fixture names; the row id is the name padded to 24 characters. */
const rowId = (name: string) => name.padEnd(24, '0');

interface Row {
  name: string;
  kind?: string;
  parent?: string | null;
  result?: string | null;
  path?: string[];
  data?: unknown;
  created?: string;
  holdoff?: string | null;
  flag?: boolean;
  retry?: number;
}

const ROWS: Row[] = [
  { name: 'a', kind: 'checkout', parent: null, result: 'pass', data: { tree: 'mainline', x: 5 }, created: '2024-01-01T00:00:00Z' },
  { name: 'b', kind: 'checkout', result: null, data: { tree: 'next', x: '5' }, created: '2024-06-01T00:00:00Z', holdoff: '2024-06-01T01:00:00Z' },
  { name: 'c', parent: rowId('a'), result: 'fail', path: ['checkout', 'c'], data: { x: [1, 7] }, flag: true, retry: 2 },
  { name: 'd', parent: rowId('a'), result: 'skip', data: null, created: '2025-01-01T00:00:00.001Z' },
  { name: 'B', parent: rowId('b'), data: { x: null, s: 'é' }, retry: 1 },
  { name: 'é', parent: rowId('b'), data: { x: [[5]], 'k"ey': 'v' } },
];

let db: PGlite;

beforeAll(async () => {
  db = new PGlite();
  await db.exec(m0001Nodes.sql);
  await db.exec(m0009NodeQueryIndexes.sql);
  for (const row of ROWS) {
    const created = row.created ?? '2024-03-01T00:00:00Z';
    await db.query(
      `INSERT INTO node (id, kind, name, path, parent, state, result, data, created, updated, timeout, holdoff,
         processed_by_kcidb_bridge, retry_counter)
       VALUES ($1, $2, $3, $4::jsonb, $5, 'done', $6, $7::jsonb, $8, $8, $8, $9, $10, $11)`,
      [
        rowId(row.name), row.kind ?? 'job', row.name, JSON.stringify(row.path ?? ['checkout']), row.parent ?? null,
        row.result ?? null, row.data === null ? null : JSON.stringify(row.data ?? {}), created, row.holdoff ?? null,
        row.flag ?? false, row.retry ?? 0,
      ],
    );
  }
});

afterAll(async () => {
  await db.close();
});

async function select(filter: NodeFilter): Promise<string[]> {
  const params: unknown[] = [];
  const where = compileNodeFilterSql(filter, params);
  const result = await db.query<{ name: string }>(`SELECT name FROM node WHERE ${where} ORDER BY seq`, params);
  return result.rows.map((row) => row.name);
}

const query = (queryString: string) => select(parseNodeQuery(Object.fromEntries(new URLSearchParams(queryString))));
const where = (...conditions: FieldCondition[]) => select({ conditions, matchesNothing: false });
const ALL = ROWS.map((row) => row.name);

describe('compileNodeFilterSql', () => {
  it('compiles no condition to TRUE and matchesNothing to FALSE', async () => {
    expect(compileNodeFilterSql({ conditions: [], matchesNothing: false }, [])).toBe('TRUE');
    expect(compileNodeFilterSql({ conditions: [{ path: ['kind'], op: 'eq', value: 'x' }], matchesNothing: true }, [])).toBe(
      'FALSE',
    );
    expect(await query('')).toEqual(ALL);
    expect(await query('name__exists=1')).toEqual([]);
  });

  it('binds every value and path, never splicing user text into the SQL', () => {
    const params: unknown[] = [];
    const hostile = "x'; DROP TABLE node; --";
    const filter = parseNodeQuery({ "data.k'ey": hostile, kind: hostile, name__re: "'" });
    const sql = compileNodeFilterSql(filter, params);
    expect(sql).not.toMatch(/DROP|k'ey/);
    expect(params).toContain(hostile);
    expect(params).toContain(`$."k'ey" ? (@.type() != "array" && @ == ${JSON.stringify(hostile)})`);
  });

  it.each<[string, string[]]>([
    ['kind=checkout&data.tree=mainline', ['a']],
    ['path=c', ['c']],
    ['result=null', ['b', 'B', 'é']],
    ['result__ne=null', ['a', 'c', 'd']],
    ['result__nin=pass,null', ['c', 'd']],
    ['result__in=pass,null', ['a', 'b', 'B', 'é']],
    ['result__ne=5', ALL],
    ['result__gt=5', []],
    ['name__lt=a', ['B']], // bytewise: "B" < "a" < "é"
    ['name__gt=d', ['é']],
    ['name__re=^[a-c]$', ['a', 'b', 'c']],
    ['data.x=5', ['b']],
    ['data.x__int=5', ['a']], // not [[5]]: one array level only, as MongoDB
    ['data.x__gt=5', ['c']],
    ['data.x__gte=5', ['a', 'c']],
    ['data.x__ne=5', ['b', 'c', 'd', 'B', 'é']],
    ['data.x=null', ['d', 'B']],
    ['data.x__lte=null', ['d', 'B']],
    ['data.x__lt=null', []],
    ['data.x__ne=null', ['a', 'b', 'c', 'é']],
    ['data.x__in=5,null', ['a', 'b', 'd', 'B']],
    ['data.x__nin=5,null', ['c', 'é']],
    ['data.x__re=^5$', ['b']],
    ['data.s__gt=z', ['B']],
    ['data.k"ey=v', ['é']],
    ['data=null', ['d']],
    ['parent=null', ['a', 'b']],
    [`parent=${rowId('a')}`, ['c', 'd']],
    [`parent__in=${rowId('b')},null`, ['a', 'b', 'B', 'é']],
    [`parent__nin=${rowId('b')},null`, ['c', 'd']],
    ['parent__re=a', []],
    ['created__gte=2024-06-01', ['b', 'd']],
    ['created__gt=2024-02-01&created__lt=2025-01-01', ['b', 'c', 'B', 'é']],
    ['created=2025-01-01T00:00:00.001', ['d']],
    ['holdoff=null', ['a', 'c', 'd', 'B', 'é']],
    ['holdoff__ne=null', ['b']],
    ['processed_by_kcidb_bridge=true', ['c']],
    ['processed_by_kcidb_bridge__ne=true', ALL],
    ['retry_counter__gt=0', ['c', 'B']],
    ['retry_counter__in=0,2', ['a', 'b', 'c', 'd', 'é']],
    ['retry_counter__lt=99999999999999999999999', ALL],
    ['foo=null', ALL],
    ['foo__ne=x', ALL],
    ['foo=x', []],
    ['kind.sub=null', ALL],
    ['kind.sub__ne=null', []],
  ])('%s', async (queryString, expected) => {
    expect(await query(queryString)).toEqual(expected);
  });

  it('treats values containing NUL as strings no row can hold', async () => {
    expect(await where({ path: ['name'], op: 'eq', value: 'a\0' })).toEqual([]);
    expect(await where({ path: ['name'], op: 'ne', value: 'a\0' })).toEqual(ALL);
    expect(await where({ path: ['name'], op: 'lt', value: 'b\0z' })).toEqual(['a', 'b', 'B']);
    expect(await where({ path: ['data', 'x'], op: 'in', value: ['5\0', '5'] })).toEqual(['b']);
    expect(await where({ path: ['data', 'x'], op: 'gte', value: '5\0' })).toEqual([]);
  });
});

/**
 * Equality on the `data` paths with an expression index (migration 0009) is compiled to a jsonb
 * equality plus a jsonpath test restricted to rows with an array on the way: both halves together
 * must still match exactly what MongoDB's dotted paths match.
 */
describe('compileNodeFilterSql on the indexed data paths', () => {
  const LAX: Array<[string, unknown]> = [
    ['scalar', { platform: 'rk3399', runtime: 'lava', kernel_revision: { tree: 'mainline', commit: 'abc' } }],
    ['leaf-array', { platform: ['qemu', 'rk3399'], kernel_revision: { tree: ['next', 'mainline'] } }],
    ['mid-array', { kernel_revision: [{ tree: 'x' }, { tree: 'mainline', commit: 'abc' }] }],
    ['top-array', [{ platform: 'rk3399' }]],
    ['nested-array', { platform: [['rk3399']], kernel_revision: { tree: [['mainline']] } }],
    ['number', { platform: 5, runtime: true, kernel_revision: { commit: 7 } }],
    ['string-number', { platform: '5', runtime: 'true' }],
    ['object', { platform: { name: 'rk3399' } }],
    ['missing', {}],
  ];

  beforeAll(async () => {
    await db.exec(`CREATE SCHEMA lax; SET search_path TO lax;`);
    await db.exec(m0001Nodes.sql);
    await db.exec(m0009NodeQueryIndexes.sql);
    for (const [name, data] of LAX) {
      await db.query(
        `INSERT INTO node (id, kind, name, path, state, data, created, updated, timeout)
         VALUES ($1, 'job', $1, '[]'::jsonb, 'done', $2::jsonb, now(), now(), now())`,
        [name, JSON.stringify(data)],
      );
    }
  });
  afterAll(async () => {
    await db.exec('SET search_path TO public;');
  });

  it.each<[string, string[]]>([
    ['data.platform=rk3399', ['scalar', 'leaf-array', 'top-array']], // an array of documents, as MongoDB
    ['data.runtime=lava', ['scalar']],
    ['data.kernel_revision.tree=mainline', ['scalar', 'leaf-array', 'mid-array']],
    ['data.kernel_revision.commit=abc', ['scalar', 'mid-array']],
    ['data.platform__int=5', ['number']],
    ['data.platform=5', ['string-number']],
    ['data.runtime=true', ['number']], // the query value `true` is a boolean
    ['data.kernel_revision.commit__int=7', ['number']],
    ['data.platform__ne=rk3399', ['mid-array', 'nested-array', 'number', 'string-number', 'object', 'missing']],
    ['data.platform__in=qemu,5', ['leaf-array', 'number', 'string-number']], // a list item `5` is the number and the string
    ['data.platform__nin=rk3399,5', ['mid-array', 'nested-array', 'object', 'missing']],
  ])('%s', async (queryString, expected) => {
    expect(await query(queryString)).toEqual(expected);
  });
});
