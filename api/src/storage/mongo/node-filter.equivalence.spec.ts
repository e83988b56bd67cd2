/**
 * Filter equivalence (docs/nodes.md#query-language, docs/deployment.md#running-on-mongodb): for one fixture set stored both as PostgreSQL rows and as
 * KernelCI-shaped MongoDB documents, every query string must select the same nodes through
 * `compileNodeFilterSql` (run on PGlite) and through `toMongoNodeFilter` (run by mingo).
 */
import { PGlite } from '@electric-sql/pglite';
import { ObjectId } from 'bson';
import { Query } from 'mingo';
import { parseNodeQuery } from '../../common/query/query-parser';
import type { QueryParams } from '../../common/query/query-params';
import { compileNodeFilterSql } from '../postgres/node-filter.sql';
import { m0001Nodes } from '../postgres/migrations/0001-nodes';
import { m0009NodeQueryIndexes } from '../postgres/migrations/0009-node-query-indexes';
import { id, KBUILD, QUERIES, ROOT_A, ROOT_B } from '../testing/node-filter.queries';
import { toMongoNodeFilter } from './node-filter.mongo';

/** A node as the test describes it; `undefined` on a nullable field = absent from the MongoDB document. */
interface Fixture {
  id: string;
  kind: string;
  name: string;
  path: string[];
  group?: string | null;
  parent?: string | null;
  state: string;
  result?: string | null;
  artifacts?: Record<string, string> | null;
  data?: Record<string, unknown> | null;
  debug?: Record<string, unknown> | null;
  jobfilter?: string[] | null;
  platform_filter?: string[] | null;
  created: Date;
  updated: Date;
  timeout: Date;
  holdoff?: Date | null;
  owner?: string | null;
  submitter?: string | null;
  treeid?: string | null;
  user_groups: string[];
  processed_by_kcidb_bridge: boolean;
  retry_counter: number;
}

const at = (iso: string) => new Date(iso);

function node(n: number, fields: Partial<Fixture>): Fixture {
  const created = fields.created ?? at(`2024-0${(n % 9) + 1}-1${n % 10}T08:15:42.454Z`);
  return {
    id: id(n),
    kind: 'job',
    name: `node-${n}`,
    path: ['checkout'],
    state: 'done',
    created,
    updated: new Date(created.getTime() + 3_600_000),
    timeout: new Date(created.getTime() + 6 * 3_600_000),
    user_groups: [],
    processed_by_kcidb_bridge: false,
    retry_counter: 0,
    ...fields,
  };
}

const revision = (tree: string, version: number) => ({
  kernel_revision: { tree, branch: 'master', commit: `c${version}`, version: { version, patchlevel: 7 } },
});

const FIXTURES: Fixture[] = [
  node(1, { kind: 'checkout', name: 'checkout', parent: null, result: 'pass', data: revision('mainline', 6),
    artifacts: { tarball: 'https://storage.example.org/linux.tar.gz' }, created: at('2024-01-14T08:15:42.454Z'),
    holdoff: at('2024-01-14T08:46:39.040Z'), owner: 'production', treeid: 'abc', processed_by_kcidb_bridge: true }),
  node(2, { kind: 'checkout', name: 'checkout', result: 'fail', data: revision('next', 6), created: at('2024-02-26T13:21:55.301Z'),
    holdoff: null, owner: 'staging', treeid: 'def', platform_filter: ['x86'] }),
  node(3, { kind: 'checkout', name: 'checkout', state: 'running', data: revision('mainline', 5),
    created: at('2024-02-26T13:21:55.302Z'), timeout: at('2026-07-20T10:00:00.123Z'), result: null, parent: null }),
  node(4, { kind: 'checkout', name: 'checkout', state: 'available', data: { kernel_revision: { tree: 'stable', version: { version: '6' } } },
    created: at('2024-11-01T00:00:00Z'), holdoff: at('2026-07-20T09:59:59Z'), jobfilter: ['kbuild-gcc'] }),
  node(5, { kind: 'checkout', name: 'checkout', state: 'available', data: null, created: at('2025-03-01T00:00:00Z'),
    holdoff: at('2026-07-20T10:00:00Z'), artifacts: null, debug: null }),
  node(10, { kind: 'kbuild', name: 'kbuild-gcc-12-x86', parent: ROOT_A, path: ['checkout', 'kbuild-gcc-12-x86'], result: 'pass',
    data: { ...revision('mainline', 6), arch: 'x86_64', x: 5 }, retry_counter: 1, group: 'kbuild-gcc-12-x86' }),
  node(11, { kind: 'kbuild', name: 'kbuild-clang-arm64', parent: ROOT_A, path: ['checkout', 'kbuild-clang-arm64'], result: 'fail',
    data: { arch: 'arm64', x: '5' }, retry_counter: 2, user_groups: ['kernelci'] }),
  node(12, { kind: 'kbuild', name: 'kbuild-gcc-X86', parent: ROOT_B, path: ['checkout', 'kbuild-gcc-X86'], result: 'incomplete',
    data: { x: 7, arr: [1, 3, 9], tags: ['foo', 'bar'] } }),
  node(13, { kind: 'kbuild', name: 'kbuild-rust', parent: ROOT_B, result: 'skip', state: 'running',
    data: { x: null, arr: [], flag: true }, timeout: at('2026-07-20T10:00:00.124Z') }),
  node(14, { kind: 'kbuild', name: 'x86-only', parent: ROOT_B, data: { x: '12', flag: false, s: 'true' }, retry_counter: 3 }),
  node(15, { kind: 'kbuild', name: 'base', parent: ROOT_A, data: { x: [4, 5, 'a'], nested: [[5]], list: [{ b: 1 }, { c: 2 }] } }),
  node(16, { kind: 'kbuild', name: 'b', parent: ROOT_A, data: { x: 'abc', list: [{ b: 2 }] } }),
  node(17, { kind: 'kbuild', name: 'Zed', parent: ROOT_A, data: { x: 4, tags: ['fool'] }, processed_by_kcidb_bridge: true }),
  node(20, { kind: 'job', name: 'baseline-x86', parent: KBUILD, path: ['checkout', 'kbuild-gcc-12-x86', 'baseline-x86'],
    result: 'pass', data: { runtime: 'lava-collabora', platform: 'qemu', error_code: null } }),
  node(21, { kind: 'job', name: 'baseline-arm64', parent: KBUILD, result: 'fail', data: { runtime: 'k8s', error_code: 'Infrastructure' },
    created: at('2025-01-01T00:00:00Z') }),
  node(22, { kind: 'job', name: 'kselftest', parent: KBUILD, result: null, state: 'closing', created: at('2025-01-01T00:00:00.001Z'),
    data: { runtime: 'lava-baylibre' } }),
  node(23, { kind: 'job', name: 'kunit', parent: KBUILD, state: 'running', created: at('2025-06-01T12:00:00Z'),
    data: { runtime: 'docker', x: 10 }, holdoff: at('2025-06-01T12:30:00Z'), retry_counter: 1 }),
  node(24, { kind: 'job', name: 'tast', parent: KBUILD, state: 'available', holdoff: at('2026-07-20T09:00:00Z'),
    data: { runtime: 'lava-collabora', x: 9999999999 }, submitter: 'kci-dev' }),
  node(30, { kind: 'test', name: 'login', parent: id(20), path: ['checkout', 'kbuild-gcc-12-x86', 'baseline-x86', 'login'],
    result: 'pass', group: 'baseline-x86', debug: { foo: 'bar' } }),
  node(31, { kind: 'test', name: 'dmesg.emerg', parent: id(20), result: 'fail', group: 'baseline-x86', data: { x: true } }),
  node(32, { kind: 'test', name: 'dmesg.crit', parent: id(20), result: 'skip', group: null, data: { x: 'null' } }),
  node(33, { kind: 'test', name: 'exec', parent: id(21), result: 'pass', data: { x: '5', arr: [5, 6] } }),
  node(34, { kind: 'test', name: 'ébauche', parent: id(21), result: 'pass', data: { x: 'Ünïcode' } }),
  node(35, { kind: 'test', name: 'a,b', parent: id(21), data: { 'dotted key': 1, 'quo"te': 'yes' } }),
  node(36, { kind: 'test', name: 'true', parent: id(22), data: { x: 0 }, treeid: null }),
  node(37, { kind: 'test', name: 'null', parent: id(22), data: { x: 6 }, owner: null }),
  node(38, { kind: 'test', name: '5', parent: id(22), data: { x: [null, 2] } }),
  node(39, { kind: 'test', name: 'deep', parent: id(22), data: { a: { b: { c: 'x' } } } }),
  node(40, { kind: 'test', name: 'shallow', parent: id(22), data: { a: { b: 'x' } } }),
  node(41, { kind: 'test', name: 'a__b__c', parent: id(23), data: { a__b__c: 'x' } }),
  node(42, { kind: 'process', name: 'regression', parent: id(23), data: { x: 5.5 }, jobfilter: null }),
  node(43, { kind: 'process', name: 'tarball', parent: ROOT_A, artifacts: { tarball: 'https://example.org/t.tgz' } }),
  node(44, { kind: 'process', name: 'retry', parent: ROOT_B, retry_counter: 5, data: { x: -1 } }),
  node(45, { kind: 'job', name: 'late', parent: KBUILD, created: at('2026-01-01T00:00:00Z'), data: { x: '' } }),
  node(46, { kind: 'job', name: 'old-root', created: at('2023-01-01T00:00:00Z'), data: { x: 'B' } }),
  node(47, { kind: 'job', name: 'zero-root', parent: null, created: at('2023-06-01T00:00:00Z'), data: {} }),
  node(48, { kind: 'node', name: 'orphan', parent: id(999), result: 'pass', data: { x: ['5'] } }),
  node(49, { kind: 'node', name: 'kcidb', parent: id(999), processed_by_kcidb_bridge: true, data: { x: { y: 5 } } }),
];

let db: PGlite;

beforeAll(async () => {
  db = new PGlite();
  await db.exec(m0001Nodes.sql);
  await db.exec(m0009NodeQueryIndexes.sql);
  for (const fixture of FIXTURES) await insertRow(db, fixture);
});

afterAll(async () => {
  await db.close();
});

async function insertRow(pg: PGlite, f: Fixture): Promise<void> {
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
  const time = (v: Date | null | undefined) => v?.toISOString() ?? null;
  await pg.query(
    `INSERT INTO node (id, kind, name, path, "group", parent, state, result, artifacts, data, debug, jobfilter,
       platform_filter, created, updated, timeout, holdoff, owner, submitter, treeid, user_groups,
       processed_by_kcidb_bridge, retry_counter)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12::jsonb, $13::jsonb,
       $14::timestamptz, $15::timestamptz, $16::timestamptz, $17::timestamptz, $18, $19, $20, $21::jsonb, $22, $23)`,
    [
      f.id, f.kind, f.name, json(f.path), f.group ?? null, f.parent ?? null, f.state, f.result ?? null,
      json(f.artifacts), json(f.data), json(f.debug), json(f.jobfilter), json(f.platform_filter),
      time(f.created), time(f.updated), time(f.timeout), time(f.holdoff), f.owner ?? null, f.submitter ?? null,
      f.treeid ?? null, json(f.user_groups), f.processed_by_kcidb_bridge, f.retry_counter,
    ],
  );
}

/** The KernelCI document: `_id`/`parent` ObjectIds, BSON dates, absent fields left out. */
function toDocument(f: Fixture): Record<string, unknown> {
  const { id: hex, parent, ...rest } = f;
  const document: Record<string, unknown> = { _id: new ObjectId(hex), ...rest };
  if (parent !== undefined) document.parent = parent === null ? null : new ObjectId(parent);
  for (const key of Object.keys(document)) if (document[key] === undefined) delete document[key];
  return document;
}

const DOCUMENTS = FIXTURES.map(toDocument);

/** As the HTTP layer hands queries over: decoded, repeated keys as arrays. */
function toQueryParams(queryString: string): QueryParams {
  const params: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(queryString)) (params[key] ??= []).push(value);
  return params;
}

async function sqlIds(queryString: string): Promise<string[]> {
  const params: unknown[] = [];
  const where = compileNodeFilterSql(parseNodeQuery(toQueryParams(queryString)), params);
  const result = await db.query<{ id: string }>(`SELECT id FROM node WHERE ${where} ORDER BY id`, params);
  return result.rows.map((row) => row.id);
}

function mongoIds(queryString: string): string[] {
  const filter = toMongoNodeFilter(parseNodeQuery(toQueryParams(queryString)));
  const found = new Query(filter).find<Record<string, unknown>>(DOCUMENTS).all();
  return found.map((document) => (document._id as ObjectId).toHexString()).sort();
}

describe('SQL and MongoDB filters select the same nodes', () => {
  it.each(QUERIES)('%s', async (queryString) => {
    expect(await sqlIds(queryString)).toEqual(mongoIds(queryString));
  });

  // MongoDB expands one array level at the end of a path, so `{data: {nested: [[5]]}}` does not
  // match `data.nested: 5`; mingo flattens nested arrays on dotted paths (not on top-level fields)
  // and would match. The SQL keeps MongoDB's rule.
  it('a nested array is not flattened on a dotted path (MongoDB rule, where mingo differs)', async () => {
    expect(await sqlIds('data.nested__int=5')).toEqual([]);
    expect(mongoIds('data.nested__int=5')).toEqual([id(15)]);
  });

  it('covers every operator on every class of field', () => {
    // An independent copy of the contract's operator list, so an operator added to the parser
    // without equivalence cases is noticed here.
    const operators = ['lt', 'lte', 'gt', 'gte', 'ne', 're', 'in', 'nin', 'int'];
    const classOf = (field: string) =>
      ['created', 'updated', 'timeout', 'holdoff'].includes(field) ? 'datetime'
        : field === 'parent' ? 'objectid'
          : field === 'retry_counter' ? 'integer'
            : field.startsWith('data.') ? 'data'
              : 'scalar';
    const seen = new Set<string>();
    for (const query of QUERIES) {
      for (const key of new URLSearchParams(query).keys()) {
        const parts = key.split('__');
        seen.add(`${classOf(parts[0])} ${parts.length === 2 ? parts[1] : 'eq'}`);
      }
    }
    const missing = ['datetime', 'objectid', 'integer', 'data', 'scalar'].flatMap((fieldClass) =>
      ['eq', ...operators].map((op) => `${fieldClass} ${op}`).filter((pair) => !seen.has(pair)));
    expect(missing).toEqual([]);
  });

  it('the query list exercises both matching and non-matching outcomes', async () => {
    const counts = await Promise.all(QUERIES.map(async (q) => (await sqlIds(q)).length));
    expect(counts.filter((n) => n === 0).length).toBeGreaterThan(5);
    expect(counts.filter((n) => n > 0 && n < FIXTURES.length).length).toBeGreaterThan(QUERIES.length / 2);
  });
});
