/**
 * Plans without statistics (docs/storage.md): the pipeline's node queries, compiled exactly as the
 * adapter compiles them, must get an index plan on a `node` table that has never been analysed —
 * the state of a table that is growing faster than autovacuum's analyse catches up. A sequential
 * scan, or a full sort where an index could return the rows in order, fails the test. Runs only
 * with DATABASE_URL=postgres://… (PGlite plans the same SQL, but the test needs a server's planner
 * settings to mean anything for deployments).
 */
import { parseNodeQuery } from '../../common/query/query-parser';
import type { QueryParams } from '../../common/query/query-params';
import type { NodeListQuery, NodeSort } from '../ports';
import { nodeCountSql, nodeListSql } from './postgres-node.repository';
import { PostgresStorage } from './postgres.storage';
import { createServerSchema, describeOnServer, dropServerSchemas } from './server-suite.fixture';
import type { SqlClient } from './sql-client';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

function walk(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(walk)];
}

/** Rows per kind: enough pages that a scan of the whole table costs more than the index paths. */
const ROWS = 40_000;

/** Seeds with one set-based statement; a parent every 100 nodes, five platforms, three trees. */
const SEED = `
INSERT INTO node (id, kind, name, path, parent, state, result, data, created, updated, timeout, owner, user_groups)
SELECT lpad(to_hex(g), 24, '0'),
       (ARRAY['checkout','kbuild','job','test','test','test','test','test','test','test'])[1 + g % 10],
       'node-' || g, '["checkout"]'::jsonb,
       CASE WHEN g % 100 = 0 THEN NULL ELSE lpad(to_hex(g - g % 100), 24, '0') END,
       (ARRAY['running','available','closing','done','done','done'])[1 + g % 6],
       CASE WHEN g % 6 >= 3 THEN 'pass' END,
       jsonb_build_object('runtime', 'lava-' || (g % 4), 'platform', 'board-' || (g % 5),
         'kernel_revision', jsonb_build_object('tree', 'tree-' || (g % 3), 'branch', 'b-' || (g % 7), 'commit', md5(g::text))),
       timestamptz '2026-01-01' + g * interval '1 second', timestamptz '2026-01-01' + g * interval '1 second',
       timestamptz '2026-01-02' + g * interval '1 second', 'user-' || (g % 20), '[]'::jsonb
FROM generate_series(1, ${ROWS}) AS g`;

const created = (iso: string) => new Date(iso);

/** The pipeline's queries (docs/storage.md, index table), as `GET /nodes` pages in natural order. */
/**
 * `ordered: false` marks the shapes still answered by a bitmap of index matches and a sort of those
 * matches (proportional to the matches, never to the table): an equality on a `data` path, whose
 * MongoDB array semantics make it an OR of two index conditions; beside `kind`, the planner may
 * prefer the `kind` matches filtered and sorted when it under-estimates them (docs/storage.md).
 */
const PAGES: Array<{ name: string; query: QueryParams; sort?: NodeSort; after?: NodeListQuery['after']; index: RegExp; ordered?: false }> = [
  { name: 'kind', query: { kind: 'test' }, index: /node_kind_seq|node_kind_state_seq/ },
  { name: 'kind+state', query: { kind: 'test', state: 'done' }, index: /node_kind_state_seq/ },
  { name: 'parent', query: { parent: lpadHex(4200) }, index: /node_parent_seq/ },
  { name: 'owner', query: { owner: 'user-3' }, index: /node_owner_seq/ },
  { name: 'kind+data.runtime', query: { 'data.runtime': 'lava-1', kind: 'job' }, index: /node_kind_seq|node_data_runtime_seq/, ordered: false },
  { name: 'kind+data.platform', query: { 'data.platform': 'board-2', kind: 'job' }, index: /node_kind_seq|node_data_platform_seq/, ordered: false },
  { name: 'data.platform', query: { 'data.platform': 'board-2' }, index: /node_data_platform_seq/, ordered: false },
  { name: 'kernel_revision.tree (sort -created)', query: { 'data.kernel_revision.tree': 'tree-1' }, sort: { field: 'created', descending: true }, index: /node_revision_tree_seq/, ordered: false },
  { name: 'kernel_revision.commit', query: { 'data.kernel_revision.commit': 'c4ca4238a0b923820dcc509a6f75849b' }, index: /node_revision_commit_seq/, ordered: false },
  { name: 'created range (sort created, keyset)', query: { created__gt: '2026-01-01T03:00:00' }, sort: { field: 'created', descending: false }, after: { value: created('2026-01-01T04:00:00Z'), id: lpadHex(14400) }, index: /node_created_id/ },
  { name: 'kind+state (sort created, keyset)', query: { kind: 'test', state: 'done' }, sort: { field: 'created', descending: false }, after: { value: created('2026-01-01T04:00:00Z'), id: lpadHex(14400) }, index: /node_kind_state_created_id/ },
  { name: 'kind+state (sort -created)', query: { kind: 'test', state: 'done' }, sort: { field: 'created', descending: true }, index: /node_kind_state_created_id/ },
  { name: 'updated range (sort -updated)', query: { updated__lt: '2026-01-01T05:00:00' }, sort: { field: 'updated', descending: true }, index: /node_updated_id/ },
  { name: 'sort id keyset', query: {}, sort: { field: 'id', descending: false }, after: { value: lpadHex(100), id: lpadHex(100) }, index: /node_id_key/ },
];

/** `/count` and a page's `total`: an index (only) scan, never a scan of the whole table. */
const COUNTS: Array<{ name: string; query: QueryParams; index: RegExp }> = [
  { name: 'kind', query: { kind: 'test' }, index: /node_kind_seq|node_kind_state_seq|node_kind_created/ },
  { name: 'kind+state', query: { kind: 'test', state: 'done' }, index: /node_kind_state_seq|node_kind_state_created_id/ },
  { name: 'parent', query: { parent: lpadHex(4200) }, index: /node_parent/ },
  { name: 'data.platform', query: { 'data.platform': 'board-2' }, index: /node_data_platform_seq/ },
  { name: 'kernel_revision.tree', query: { 'data.kernel_revision.tree': 'tree-1' }, index: /node_revision_tree_seq/ },
];

function lpadHex(n: number): string {
  return n.toString(16).padStart(24, '0');
}

describeOnServer(
  'node query plans on a table without statistics',
  { what: 'node plan tests', toRun: 'check the plans on a PostgreSQL server' },
  (serverUrl) => {
    let schema = '';
    let storage: PostgresStorage;
    let sql: SqlClient;

    beforeAll(async () => {
      schema = await createServerSchema(serverUrl, 'maestro_plans');
      storage = await PostgresStorage.open({ kind: 'postgres', url: serverUrl }, { schema });
      sql = storage.sql;
      // The test's own table: keep autovacuum from analysing it under the test.
      await sql.query('ALTER TABLE node SET (autovacuum_enabled = false)');
      await sql.query(SEED);
    }, 120_000);
    afterAll(async () => {
      await storage?.close();
      if (process.env.KEEP_PLAN_SCHEMA) process.stdout.write(`kept schema ${schema}\n`);
      else await dropServerSchemas(serverUrl, [schema]);
    });

    async function plan(statement: { sql: string; params: unknown[] }): Promise<PlanNode[]> {
      const { rows } = await sql.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${statement.sql}`, statement.params);
      return walk(rows[0]['QUERY PLAN'][0].Plan);
    }

    function describePlan(nodes: PlanNode[]): string {
      return nodes.map((n) => `${n['Node Type']}${n['Index Name'] ? ` ${n['Index Name']}` : ''}`).join(' > ');
    }

    it('runs on a table that has never been analysed', async () => {
      const { rows } = await sql.query<{ reltuples: number; last: string | null }>(
        `SELECT c.reltuples, s.last_analyze AS last FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
         WHERE c.oid = 'node'::regclass`,
      );
      expect(Number(rows[0].reltuples)).toBe(-1);
      expect(rows[0].last).toBeNull();
    });

    it.each(PAGES)('page $name: an index plan, in index order unless marked', async ({ query, sort, after, index, ordered }) => {
      for (const paging of [{ limit: 50 }, { limit: 50, offset: 50 }]) {
        const nodes = await plan(nodeListSql({ filter: parseNodeQuery(query), sort, after, ...paging }));
        const shape = describePlan(nodes);
        expect({ shape, seqScan: nodes.some((n) => n['Node Type'] === 'Seq Scan') }).toEqual({ shape, seqScan: false });
        if (ordered !== false) expect({ shape, sort: nodes.some((n) => n['Node Type'] === 'Sort') }).toEqual({ shape, sort: false });
        expect({ shape, indexed: nodes.some((n) => index.test(n['Index Name'] ?? '') && n['Index Cond'] !== undefined) }).toEqual({ shape, indexed: true });
      }
    });

    it.each(COUNTS)('count $name: an index scan, not the whole table', async ({ query, index }) => {
      const nodes = await plan(nodeCountSql(parseNodeQuery(query)));
      const shape = describePlan(nodes);
      expect({ shape, seqScan: nodes.some((n) => n['Node Type'] === 'Seq Scan') }).toEqual({ shape, seqScan: false });
      expect({ shape, indexed: nodes.some((n) => index.test(n['Index Name'] ?? '')) }).toEqual({ shape, indexed: true });
    });

    it('answers scalar data equality from the expression index without a jsonpath check per row', async () => {
      const nodes = await plan(nodeCountSql(parseNodeQuery({ 'data.platform': 'board-2' })));
      const viaIndex = nodes.find((n) => n['Index Name'] === 'node_data_platform_seq');
      expect(viaIndex?.['Index Cond']).toContain('#>');
      const { rows } = await sql.query<{ n: string }>(nodeCountSql(parseNodeQuery({ 'data.platform': 'board-2' })).sql, nodeCountSql(parseNodeQuery({ 'data.platform': 'board-2' })).params);
      expect(Number(rows[0].n)).toBe(ROWS / 5);
    });
  },
);
