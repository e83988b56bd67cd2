// Memory benchmark (issue #14): resident set size of one API process, idle after start and after
// N nodes (default 100,000) were written, on the embedded PGlite default and, when DATABASE_URL is a
// postgres:// URL, on that server (fresh schema). Prints one table. See bench/README.md.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const dist = join(dirname(fileURLToPath(import.meta.url)), '../api/dist');
const { createApp } = require(`${dist}/app.factory.js`);
const { loadConfig } = require(`${dist}/config/config.js`);
const { STORAGE } = require(`${dist}/storage/ports.js`);
const { openSqlClient } = require(`${dist}/storage/postgres/sql-client.js`);
const { makeBenchNode } = await import('./nodes.mjs');

const rssMb = () => Math.round(process.memoryUsage().rss / 1e6);
const settle = () => new Promise((resolve) => setTimeout(resolve, 2000));

async function measure(label, databaseUrl, nodes) {
  const config = loadConfig({ DATABASE_URL: databaseUrl, SECRET_KEY: 'bench', KCI_INITIAL_PASSWORD: 'bench-password', LOG_LEVEL: 'silent', LIFECYCLE_ENABLED: 'false', NODE_PURGE_AGE_DAYS: '0' });
  const app = await createApp(config, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  await settle();
  const idle = rssMb();
  const storage = app.get(STORAGE);
  const checkouts = [];
  const now = Date.now();
  for (let i = 0; i < nodes; i += 2000) {
    await storage.nodes.insertMany(Array.from({ length: Math.min(2000, nodes - i) }, (_, j) => makeBenchNode(i + j, checkouts, now)));
  }
  await settle();
  const loaded = rssMb();
  await app.close();
  return { label, idle, loaded };
}

/** Runs one measurement in a child process, so that no engine's heap counts in another's figure. */
export async function measureApart(label, databaseUrl, nodes) {
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', label, databaseUrl, String(nodes)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop());
}

export async function main(args) {
  const nodesIndex = args.indexOf('--nodes');
  const nodes = nodesIndex >= 0 ? Number(args[nodesIndex + 1]) : Number(process.env.BENCH_MEMORY_NODES ?? 100_000);
  const rows = [];
  const folder = mkdtempSync(join(tmpdir(), 'maestro-bench-'));
  try {
    rows.push(await measureApart('PGlite (new folder)', `pglite:${folder}/db`, nodes));
    rows.push(await measureApart('PGlite (existing folder, restart)', `pglite:${folder}/db`, 0));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const server = process.env.DATABASE_URL;
  if (server?.startsWith('postgres')) {
    const schema = `maestro_bench_${randomBytes(6).toString('hex')}`;
    const admin = await openSqlClient({ kind: 'postgres', url: server });
    await admin.query(`CREATE SCHEMA ${schema}`);
    try {
      const url = new URL(server);
      url.searchParams.set('options', `-c search_path=${schema}`);
      rows.push(await measureApart('PostgreSQL server (API process only)', url.toString(), nodes));
    } finally {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    }
  }
  console.log(`\nAPI process RSS (MB), idle after start and after writing ${nodes.toLocaleString('en')} nodes`);
  console.table(rows.map((r) => ({ store: r.label, 'idle MB': r.idle, 'after writes MB': r.loaded })));
}

if (process.argv[2] === '--child') {
  const [label, url, nodes] = process.argv.slice(3);
  const result = await measure(label, url, Number(nodes));
  console.log(JSON.stringify(result));
  process.exit(0);
}
