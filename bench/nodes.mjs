// Node benchmark (issue #4): seeds N nodes into a fresh schema of a PostgreSQL server through the
// storage layer in bulk, then times the node queries through HTTP against the same SQL sent
// through `pg` directly, and prints EXPLAIN plans. See bench/README.md.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const dist = join(dirname(fileURLToPath(import.meta.url)), '../api/dist');
const { PostgresStorage } = require(`${dist}/storage/postgres/postgres.storage.js`);
const { openSqlClient } = require(`${dist}/storage/postgres/sql-client.js`);
const { compileNodeFilterSql } = require(`${dist}/storage/postgres/node-filter.sql.js`);
const { parseNodeQuery } = require(`${dist}/common/query/query-parser.js`);
const { newObjectId } = require(`${dist}/common/object-id.js`);
const { createApp } = require(`${dist}/app.factory.js`);
const { loadConfig } = require(`${dist}/config/config.js`);

const COLUMNS = `id, kind, name, path, "group", parent, state, result, artifacts, data, debug, jobfilter, platform_filter,
  created, updated, timeout, holdoff, owner, submitter, treeid, user_groups, processed_by_kcidb_bridge, retry_counter`;

function parseArgs(args) {
  const options = { nodes: 100_000, runs: 30, keep: false };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--nodes') options.nodes = Number(args[++i]);
    else if (args[i] === '--runs') options.runs = Number(args[++i]);
    else if (args[i] === '--keep') options.keep = true;
    else throw new Error(`unknown option ${args[i]} (options: --nodes N, --runs N, --keep)`);
  }
  if (!Number.isInteger(options.nodes) || options.nodes < 1000) throw new Error('--nodes must be an integer ≥ 1000');
  return options;
}

/** A pipeline-like mix: 1 % checkouts, 9 % kbuilds, 80 % tests, 10 % jobs; 90 % done. */
export function makeBenchNode(i, checkouts, now) {
  const roll = i % 100;
  const kind = roll === 0 ? 'checkout' : roll < 10 ? 'kbuild' : roll < 90 ? 'test' : 'job';
  const state = i % 20 === 1 ? 'running' : i % 20 === 2 ? 'available' : 'done';
  const created = new Date(now - (checkouts.length ? 30 * 24 * 3600_000 * (1 - i / 1e7) : 0));
  const id = newObjectId();
  if (kind === 'checkout') checkouts.push(id);
  return {
    id, kind, name: `${kind}-${i}`, path: ['checkout', kind], group: null,
    parent: kind === 'checkout' || checkouts.length === 0 ? null : checkouts[checkouts.length - 1],
    state, result: state === 'done' ? (i % 7 ? 'pass' : 'fail') : null, artifacts: {},
    data: { runtime: `lab-${i % 8}`, platform: `board-${i % 50}`, kernel_revision: { tree: `tree-${i % 5}`, branch: 'master', commit: `c${Math.floor(i / 1000)}`, url: 'https://git.example.org/linux.git' } },
    debug: {}, jobfilter: null, platform_filter: [], created, updated: created,
    timeout: new Date(now + 6 * 3600_000), holdoff: null, owner: 'bench', submitter: null, treeid: null,
    user_groups: [], processed_by_kcidb_bridge: i % 3 === 0, retry_counter: 0,
  };
}

async function time(runs, work) {
  const samples = [];
  for (let i = 0; i < runs + 3; i++) {
    const start = process.hrtime.bigint();
    await work();
    if (i >= 3) samples.push(Number(process.hrtime.bigint() - start) / 1e6); // 3 warm-up runs
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length / 2)], p95: samples[Math.floor(samples.length * 0.95)] };
}

function row(name, app, raw) {
  const f = (x) => x.toFixed(2).padStart(9);
  console.log(`${name.padEnd(44)} ${f(app.p50)} ${f(app.p95)} ${f(raw.p50)} ${f(raw.p95)} ${(app.p50 / raw.p50).toFixed(1).padStart(7)}x`);
}

function treeOf(children, grandchildren) {
  const node = (name) => ({ kind: 'test', name, path: ['checkout', name], state: 'done', result: 'pass', data: { platform: 'qemu' } });
  return {
    node: { kind: 'checkout', name: 'root', path: ['checkout'], data: { kernel_revision: { tree: 't', branch: 'b', commit: 'c', url: 'https://x.org/l.git' } } },
    child_nodes: Array.from({ length: children }, (_, c) => ({
      node: node(`suite-${c}`),
      child_nodes: Array.from({ length: grandchildren }, (_, g) => ({ node: node(`case-${c}-${g}`), child_nodes: [] })),
    })),
  };
}

export async function main(args) {
  const options = parseArgs(args);
  const url = process.env.DATABASE_URL;
  if (!url?.startsWith('postgres')) {
    console.error('bench/nodes: set DATABASE_URL=postgres://… (a PostgreSQL server; PGlite is not what production runs)');
    process.exit(2);
  }
  const schema = `maestro_bench_${randomBytes(4).toString('hex')}`;
  const admin = await openSqlClient({ kind: 'postgres', url });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const storage = await PostgresStorage.open({ kind: 'postgres', url }, { schema });
  const raw = await openSqlClient({ kind: 'postgres', url }, { schema });
  let app;
  try {
    console.log(`seeding ${options.nodes.toLocaleString('en')} nodes into schema ${schema} …`);
    const seedStart = Date.now();
    const now = Date.now();
    const checkouts = [];
    for (let i = 0; i < options.nodes; i += 10_000) {
      const batch = [];
      for (let j = i; j < Math.min(options.nodes, i + 10_000); j++) batch.push(makeBenchNode(j, checkouts, now));
      await storage.nodes.insertMany(batch);
    }
    await raw.query('VACUUM ANALYZE node'); // the steady state autovacuum keeps: statistics and the visibility map
    console.log(`seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s (insertMany, ${Math.ceil(options.nodes / 2000)} statements)\n`);

    const appUrl = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const config = loadConfig({ DATABASE_URL: appUrl, SECRET_KEY: 'bench', KCI_INITIAL_PASSWORD: 'bench-password', LOG_LEVEL: 'silent', LIFECYCLE_ENABLED: 'false', NODE_PURGE_AGE_DAYS: '0' });
    app = await createApp(config, { logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${app.getHttpServer().address().port}/latest`;
    const login = await (await fetch(`${base}/user/login`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'username=admin&password=bench-password' })).json();
    const auth = { Authorization: `Bearer ${login.access_token}`, 'Content-Type': 'application/json' };

    const queries = [
      { name: 'GET /nodes?kind=test&state=done&limit=50', path: '/nodes?kind=test&state=done&limit=50', list: true },
      { name: 'GET /count?kind=test&state=done', path: '/count?kind=test&state=done' },
      { name: 'GET /count?kind=checkout&state=running', path: '/count?kind=checkout&state=running' },
      { name: 'GET /count?data.runtime=lab-3&state=done', path: '/count?data.runtime=lab-3&state=done' },
      { name: 'GET /nodes?parent=<checkout>&limit=50', path: `/nodes?parent=${checkouts[Math.floor(checkouts.length / 2)]}&limit=50`, list: true },
    ];
    console.log(`${'query (median and p95 of'.padEnd(44)} ${'app p50'.padStart(9)} ${'app p95'.padStart(9)} ${'raw p50'.padStart(9)} ${'raw p95'.padStart(9)}   ratio`);
    console.log(`${`  ${options.runs} runs, ms)`.padEnd(44)}`);
    const plans = [];
    for (const q of queries) {
      const query = Object.fromEntries(new URL(`http://x${q.path}`).searchParams);
      const filter = parseNodeQuery(query);
      const params = [];
      const where = compileNodeFilterSql(filter, params);
      const sqls = q.list
        ? [[`SELECT ${COLUMNS} FROM node WHERE ${where} ORDER BY seq LIMIT 50`, params], [`SELECT count(*) AS n FROM node WHERE ${where}`, params]]
        : [[`SELECT count(*) AS n FROM node WHERE ${where}`, params]];
      const appTime = await time(options.runs, async () => {
        const res = await fetch(`${base}${q.path}`);
        if (res.status !== 200) throw new Error(`${q.path}: ${res.status} ${await res.text()}`);
        await res.json();
      });
      const rawTime = await time(options.runs, async () => {
        for (const [sql, p] of sqls) await raw.query(sql, p);
      });
      row(q.name, appTime, rawTime);
      for (const [sql, p] of sqls) {
        const { rows } = await raw.query(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, p);
        plans.push([`${q.name}: ${sql.slice(0, 60).replace(/\s+/g, ' ')}…`, rows.map((r) => r['QUERY PLAN'])]);
      }
    }

    // 1,000-node hierarchy: 1 root + 9 suites × 110 cases = 1000 nodes, against one raw bulk insert.
    const tree = treeOf(9, 110);
    const hierarchyTime = await time(Math.max(5, Math.floor(options.runs / 3)), async () => {
      const root = await (await fetch(`${base}/node`, { method: 'POST', headers: auth, body: JSON.stringify(tree.node) })).json();
      const res = await fetch(`${base}/nodes/${root.id}`, { method: 'PUT', headers: auth, body: JSON.stringify(tree) });
      if (res.status !== 200) throw new Error(`hierarchy: ${res.status} ${await res.text()}`);
      const nodes = await res.json();
      if (nodes.length !== 1000) throw new Error(`hierarchy wrote ${nodes.length} nodes`);
    });
    const rawInsert = await time(Math.max(5, Math.floor(options.runs / 3)), async () => {
      const batch = Array.from({ length: 1000 }, (_, i) => makeBenchNode(i + 1, [newObjectId()], Date.now()));
      await raw.query(
        `INSERT INTO node (${COLUMNS}) SELECT x.* FROM jsonb_to_recordset($1::jsonb) AS x(id text, kind text, name text, path jsonb, "group" text, parent text, state text, result text,
         artifacts jsonb, data jsonb, debug jsonb, jobfilter jsonb, platform_filter jsonb, created timestamptz, updated timestamptz, timeout timestamptz, holdoff timestamptz,
         owner text, submitter text, treeid text, user_groups jsonb, processed_by_kcidb_bridge boolean, retry_counter bigint)`,
        [JSON.stringify(batch)],
      );
    });
    row('PUT /nodes/{id} (1,000-node hierarchy) *', hierarchyTime, rawInsert);
    console.log('  * app: POST root + hierarchy PUT through HTTP (JSON, validation, checks, re-read);');
    console.log('    raw: one INSERT of 1,000 rows through pg.\n');

    console.log('EXPLAIN (ANALYZE) of the SQL the API runs:');
    for (const [title, lines] of plans) {
      console.log(`\n${title}`);
      for (const line of lines) console.log(`  ${line}`);
    }
  } finally {
    await app?.close();
    await storage.close();
    await raw.close();
    if (!options.keep) await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    else console.log(`\nkept schema ${schema}`);
    await admin.close();
  }
}
