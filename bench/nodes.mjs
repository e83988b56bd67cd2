// Node benchmark (issues #4, #14): the API in a child process on a fresh schema of a PostgreSQL
// server, loaded through autocannon at 16 clients, against the same writes and reads sent raw
// through `pg` at the same concurrency in the same run. Prints one table with the ratios and the
// targets of issue #14, then the plans of the read statements. See bench/README.md.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { http, raw, rssOf, sequential, startApi } from './load.mjs';

const require = createRequire(import.meta.url);
const dist = join(dirname(fileURLToPath(import.meta.url)), '../api/dist');
const { PostgresStorage } = require(`${dist}/storage/postgres/postgres.storage.js`);
const { openSqlClient } = require(`${dist}/storage/postgres/sql-client.js`);
const { nodeCountSql, nodeListSql, nodeParams } = require(`${dist}/storage/postgres/postgres-node.repository.js`);
const { parseNodeQuery } = require(`${dist}/common/query/query-parser.js`);
const { newObjectId } = require(`${dist}/common/object-id.js`);

const COLUMNS = `id, kind, name, path, "group", parent, state, result, artifacts, data, debug, jobfilter, platform_filter,
  created, updated, timeout, holdoff, owner, submitter, treeid, user_groups, processed_by_kcidb_bridge, retry_counter`;
const RECORD = `id text, kind text, name text, path jsonb, "group" text, parent text, state text, result text,
  artifacts jsonb, data jsonb, debug jsonb, jobfilter jsonb, platform_filter jsonb, created timestamptz, updated timestamptz,
  timeout timestamptz, holdoff timestamptz, owner text, submitter text, treeid text, user_groups jsonb,
  processed_by_kcidb_bridge boolean, retry_counter bigint`;
/** The event row a node write appends, as the adapter writes it (one statement, no lock). */
const EVENT_INSERT = `INSERT INTO eventhistory (id, "timestamp", sequence_id, channel, owner, data, ce, xid)
  SELECT $1, $2, nextval('maestro_event_sequence'), 'node', $3, $4::jsonb, NULL, tx.xid FROM (SELECT pg_current_xact_id() AS xid OFFSET 0) AS tx`;

function parseArgs(args) {
  const options = { nodes: 100_000, seconds: 5, clients: 16, keep: false, only: null, runs: 10 };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--nodes') options.nodes = Number(args[++i]);
    else if (args[i] === '--seconds') options.seconds = Number(args[++i]);
    else if (args[i] === '--clients') options.clients = Number(args[++i]);
    else if (args[i] === '--keep') options.keep = true;
    else if (args[i] === '--only') options.only = args[++i];
    else if (args[i] === '--runs') options.runs = Number(args[++i]);
    else throw new Error(`unknown option ${args[i]} (options: --nodes N, --seconds S, --clients C, --keep, --only hierarchy, --runs N)`);
  }
  if (!Number.isInteger(options.nodes) || options.nodes < 1000) throw new Error('--nodes must be an integer ≥ 1000');
  if (options.only !== null && options.only !== 'hierarchy') throw new Error('--only: the one scenario that runs alone is `hierarchy`');
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error('--runs must be a positive integer');
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

/** One raw transaction of `statements` on a connection of the pool. */
async function transaction(pool, statements) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const [sql, params] of statements) await client.query(sql, params);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

const eventRow = (node, op) => [newObjectId(), new Date(), node.owner, JSON.stringify({ op, id: node.id, kind: node.kind, name: node.name, path: node.path, state: node.state, result: node.result, owner: node.owner })];

export async function main(args) {
  const options = parseArgs(args);
  const url = process.env.DATABASE_URL;
  if (!url?.startsWith('postgres')) {
    console.error('bench/nodes: set DATABASE_URL=postgres://… (a PostgreSQL server; PGlite is not what production runs)');
    process.exit(2);
  }
  const { default: pg } = await import('pg');
  const { measureApart } = await import('./memory.mjs');
  const schema = `maestro_bench_${randomBytes(4).toString('hex')}`;
  const admin = await openSqlClient({ kind: 'postgres', url });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const storage = await PostgresStorage.open({ kind: 'postgres', url }, { schema });
  const pool = new pg.Pool({ connectionString: url, max: options.clients, options: `-c search_path=${schema} -c random_page_cost=1.1` });
  const appUrl = new URL(url);
  appUrl.searchParams.set('options', `-c search_path=${schema}`);
  const api = await startApi(appUrl.toString());
  const load = (o) => http({ connections: options.clients, duration: options.seconds, ...o });
  const rawLoad = (work, concurrency = options.clients) => raw({ concurrency, seconds: options.seconds, work });
  const auth = { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' };
  const rows = [];
  const add = (measure, app, base, target) => rows.push({ measure, app, base, target });
  const uptime = () => `load average: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`;
  console.log(`schema ${schema}, ${options.clients} clients, ${options.seconds} s per load run; ${uptime()}`);
  try {
    if (options.only === 'hierarchy') {
      add(...(await hierarchyRow(api, pool, auth, options.runs)));
      printTable(rows, null, null, uptime());
      return;
    }
    // Idle RSS of the API process on the server, and of a PGlite API (bench/memory.mjs, own process).
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const idleServer = rssOf(api.pid);
    const folder = mkdtempSync(join(tmpdir(), 'maestro-bench-'));
    const idlePglite = await measureApart('PGlite', `pglite:${folder}/db`, 0).finally(() => rmSync(folder, { recursive: true, force: true }));

    // Creates: POST /node against the node row plus its event row, one transaction each.
    const body = JSON.stringify({ kind: 'test', name: 'bench-create', path: ['checkout', 'test'], state: 'done', result: 'pass', data: { runtime: 'lab-1', platform: 'qemu' } });
    const creates = await load({ url: `${api.base}/node`, method: 'POST', headers: auth, body });
    const now = Date.now();
    const rawCreates = await rawLoad(async (w, i) => {
      const node = { ...makeBenchNode(i * 16 + w + 1, [], now), owner: 'admin' };
      await transaction(pool, [[`INSERT INTO node (${COLUMNS}) VALUES (${nodeParams(node).map((_, k) => `$${k + 1}`).join(', ')})`, nodeParams(node)], [EVENT_INSERT, eventRow(node, 'created')]]);
    });
    add('POST /node (raw: node + event row)', creates, rawCreates, { ratio: 0.6 });

    // Updates: a request takes a node no other request is editing and gives it back with its answer
    // (autocannon clears a connection's context after each request), so edits never wait for each other;
    // PATCH sends the If-Match of the node's previous answer.
    const targets = [];
    for (let c = 0; c < 2 * options.clients; c++) {
      const res = await fetch(`${api.base}/node`, { method: 'POST', headers: auth, body });
      targets.push({ ...(await res.json()), etag: res.headers.get('etag') });
    }
    const free = [...targets];
    const edit = (method, bodyOf) => ({
      setupRequest: (req, context) => {
        const node = (context.node = free.pop());
        return { ...req, method, path: `/latest/node/${node.id}`, headers: { ...auth, 'if-match': node.etag }, body: bodyOf() };
      },
      onResponse: (_status, _body, context, headers) => {
        const tag = Object.entries(headers).find(([k]) => k.toLowerCase() === 'etag')?.[1];
        if (tag) context.node.etag = tag;
        free.push(context.node);
      },
    });
    const puts = await load({ url: api.base, requests: [edit('PUT', () => JSON.stringify({ kind: 'test', name: 'bench-put', path: ['checkout', 'test'], state: 'done', result: 'fail', data: { n: Math.random() } }))] });
    const patches = await load({ url: api.base, requests: [edit('PATCH', () => JSON.stringify({ data: { n: Math.random() } }))] });
    const rawUpdates = await rawLoad(async (w) => {
      const node = targets[w];
      await transaction(pool, [['UPDATE node SET data = $2::jsonb, updated = now() WHERE id = $1', [node.id, JSON.stringify({ n: Math.random() })]], [EVENT_INSERT, eventRow(node, 'updated')]]);
    });
    add('PUT /node/{id} (raw: update + event row)', puts, rawUpdates, {});
    add('PATCH /node/{id} with If-Match (same raw)', patches, rawUpdates, {});

    // Seed N nodes (bulk, as the pipeline's history would be), then read while no ANALYZE has run yet.
    const seedStart = Date.now();
    const checkouts = [];
    for (let i = 0; i < options.nodes; i += 10_000) {
      const batch = [];
      for (let j = i; j < Math.min(options.nodes, i + 10_000); j++) batch.push(makeBenchNode(j, checkouts, now));
      await storage.nodes.insertMany(batch);
    }
    const stats = async () => (await pool.query(`SELECT n_live_tup, last_autoanalyze, last_autovacuum FROM pg_stat_user_tables WHERE relname = 'node'`)).rows[0];
    console.log(`seeded ${options.nodes.toLocaleString('en')} nodes in ${((Date.now() - seedStart) / 1000).toFixed(1)} s; ${JSON.stringify(await stats())}`);

    const filter = { kind: 'test', state: 'done' };
    const first = await (await fetch(`${api.base}/nodes?kind=test&state=done&limit=50&sort=created`)).json();
    const position = JSON.parse(Buffer.from(first.next_cursor, 'base64url').toString('utf8')); // { v: value, i: id }
    const page2 = nodeListSql({ filter: parseNodeQuery(filter), limit: 51, sort: { field: 'created', descending: false }, after: { value: new Date(position.v), id: position.i } });
    const reads = [
      { name: 'GET /nodes?kind=test&state=done&limit=50', path: '/nodes?kind=test&state=done&limit=50', sql: [nodeListSql({ filter: parseNodeQuery(filter), limit: 50 }), nodeCountSql(parseNodeQuery(filter))], target: { p99: 50 } },
      { name: 'same, keyset (&sort=created&cursor=…)', path: `/nodes?kind=test&state=done&limit=50&sort=created&cursor=${first.next_cursor}`, sql: [page2, nodeCountSql(parseNodeQuery(filter))], target: { p99: 10 } },
      { name: 'GET /count?kind=test&state=done', path: '/count?kind=test&state=done', sql: [nodeCountSql(parseNodeQuery(filter))], target: { p99: 100 } },
      { name: 'GET /count?data.runtime=lab-3&kind=test', path: '/count?data.runtime=lab-3&kind=test', sql: [nodeCountSql(parseNodeQuery({ 'data.runtime': 'lab-3', kind: 'test' }))], target: { p99: 100 } },
    ];
    const runReads = async (when) => {
      for (const read of reads) {
        // Latency with one client (the targets), throughput with all of them.
        const one = await load({ url: `${api.base}${read.path}`, connections: 1 });
        const rawOne = await rawLoad(async () => Promise.all(read.sql.map((s) => pool.query(s.sql, s.params))), 1);
        add(`${read.name} ${when}, 1 client`, one, rawOne, read.target);
        const many = await load({ url: `${api.base}${read.path}` });
        const rawMany = await rawLoad(async () => Promise.all(read.sql.map((s) => pool.query(s.sql, s.params))));
        add(`${read.name} ${when}, ${options.clients} clients`, many, rawMany, {});
      }
    };
    await runReads('[no ANALYZE yet]');
    const plans = [];
    const explain = async (when) => {
      for (const read of reads) {
        for (const s of read.sql) {
          const { rows: plan } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${s.sql}`, s.params);
          plans.push(`\n${read.name} ${when}: ${s.sql.slice(0, 60).replace(/\s+/g, ' ')}…\n${plan.map((l) => `  ${l['QUERY PLAN']}`).join('\n')}`);
        }
      }
    };
    await explain('[no ANALYZE yet]');
    await pool.query('VACUUM ANALYZE node');
    await runReads('[after VACUUM ANALYZE]');
    await explain('[after VACUUM ANALYZE]');

    add(...(await hierarchyRow(api, pool, auth, options.runs)));

    printTable(rows, idleServer, idlePglite.idle, uptime());
    console.log('\nEXPLAIN (ANALYZE, BUFFERS) of the read statements (the API runs the page and its count side by side):');
    for (const plan of plans) console.log(plan);
  } finally {
    await api.stop();
    await storage.close();
    await pool.end();
    if (!options.keep) await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    else console.log(`\nkept schema ${schema}`);
    await admin.close();
  }
}

/**
 * The 1,000-node hierarchy (1 root + 9 suites × 110 cases): `runs` timed PUTs alone (each root is
 * created beforehand, outside the timing) against as many raw 1,000-row inserts; one table row.
 */
async function hierarchyRow(api, pool, auth, runs) {
  const tree = treeOf(9, 110);
  const treeBody = JSON.stringify(tree);
  const roots = [];
  for (let i = 0; i < runs + 3; i++) roots.push((await (await fetch(`${api.base}/node`, { method: 'POST', headers: auth, body: JSON.stringify(tree.node) })).json()).id);
  const hierarchy = await sequential(runs, async (i) => {
    const res = await fetch(`${api.base}/nodes/${roots[i]}`, { method: 'PUT', headers: auth, body: treeBody });
    if (res.status !== 200) throw new Error(`hierarchy: ${res.status} ${await res.text()}`);
    if ((await res.json()).length !== 1000) throw new Error('hierarchy: not 1,000 nodes');
  });
  const rawInsert = await sequential(runs, async () => {
    const batch = Array.from({ length: 1000 }, (_, i) => makeBenchNode(i + 1, [newObjectId()], Date.now()));
    await pool.query(`INSERT INTO node (${COLUMNS}) SELECT x.* FROM jsonb_to_recordset($1::jsonb) AS x(${RECORD})`, [JSON.stringify(batch)]);
  });
  return ['PUT /nodes/{id}, 1,000-node hierarchy (raw: one 1,000-row INSERT), ms', { p50: hierarchy.p50, p99: hierarchy.p99 }, rawInsert, { ms: 200, ratio: 1.5 }];
}

function printTable(rows, idleServer, idlePglite, load) {
  const f = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const lines = rows.map(({ measure, app, base, target }) => {
    const throughput = app.rps !== undefined;
    const figure = throughput ? `${f(app.rps)}/s (p99 ${f(app.p99)})` : `${f(app.p50)} p50, ${f(app.p99)} p99`;
    const baseline = throughput ? `${f(base.rps)}/s (p99 ${f(base.p99)})` : `${f(base.p50)} p50`;
    const ratio = throughput ? app.rps / base.rps : app.p50 / base.p50;
    const checks = [
      target.ratio !== undefined && [throughput ? `≥ ${target.ratio}×` : `≤ ${target.ratio}×`, throughput ? ratio >= target.ratio : ratio <= target.ratio],
      target.p99 !== undefined && [`p99 ≤ ${target.p99} ms`, app.p99 <= target.p99],
      target.ms !== undefined && [`≤ ${target.ms} ms`, app.p50 <= target.ms],
    ].filter(Boolean);
    const goals = checks.map(([goal]) => goal);
    const met = checks.map(([, ok]) => ok);
    return [measure, figure, baseline, `${ratio.toFixed(2)}×`, goals.join(', ') || '—', met.length ? (met.every(Boolean) ? 'pass' : 'MISS') : ''];
  });
  if (idleServer !== null) lines.push(['idle RSS, API on the PostgreSQL server, MB', String(idleServer), '', '', '≤ 120', idleServer <= 120 ? 'pass' : 'MISS']);
  if (idlePglite !== null) lines.push(['idle RSS, API on PGlite (new folder), MB', String(idlePglite), '', '', '≤ 300', idlePglite <= 300 ? 'pass' : 'MISS']);
  const head = ['measure', 'API', 'raw pg', 'ratio', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const out = (cells) => console.log(`| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`);
  console.log(`\nissue #14 targets (${load}); requests/s (p99 ms) or ms; ratio: API / raw throughput, or API / raw time for the ms rows`);
  out(head);
  out(widths.map((w) => '-'.repeat(w)));
  for (const l of lines) out(l);
}
