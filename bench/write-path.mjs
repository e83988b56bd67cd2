// Write-path benchmark (issue #14, ADR 0018): `POST /latest/node` at C concurrent clients
// (autocannon) against one or two API processes (`api/dist/main.js`, as deployed) on a fresh schema
// of a PostgreSQL server, next to the raw two-row insert (node + event, one transaction each)
// through `pg` in the same run. Options: --clients N (16), --seconds N (20), --replicas 1|2,
// --token jwt|api (the caller's credential), --log-level LEVEL (the API's LOG_LEVEL, default warn:
// no per-request log lines), --profile DIR (each API process runs with
// `--cpu-prof` and writes its profile there; the top self-time frames are printed), --api FILE (the
// API entry point to run, default api/dist/main.js: another build for a before/after). See
// bench/README.md.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PASSWORD = 'bench-password';

function parseArgs(args) {
  const options = { clients: 16, seconds: 20, replicas: 1, token: 'jwt', logLevel: 'warn', profile: null, api: join(REPO, 'api/dist/main.js') };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split('=');
    const value = () => inline ?? args[++i];
    if (flag === '--clients') options.clients = Number(value());
    else if (flag === '--seconds') options.seconds = Number(value());
    else if (flag === '--replicas') options.replicas = Number(value());
    else if (flag === '--token') options.token = value();
    else if (flag === '--profile') options.profile = resolve(value());
    else if (flag === '--log-level') options.logLevel = value();
    else if (flag === '--api') options.api = resolve(value());
    else throw new Error(`unknown option ${args[i]} (--clients N, --seconds N, --replicas 1|2, --token jwt|api, --log-level LEVEL, --profile DIR, --api FILE)`);
  }
  return options;
}

const freePort = () =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });

async function startApi(url, profileDir, main, logLevel) {
  const port = await freePort();
  const env = {
    ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', SECRET_KEY: 'bench-secret',
    KCI_INITIAL_PASSWORD: PASSWORD, LOG_LEVEL: logLevel, LIFECYCLE_ENABLED: 'false', NODE_PURGE_AGE_DAYS: '0',
  };
  const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  // At `info` the API logs two lines per request (Fastify's request log): they go to /dev/null here,
  // so the run measures the logging's cost in the API, not a terminal's.
  const child = spawn(process.execPath, [...flags, main], { env, stdio: ['ignore', logLevel === 'warn' ? 'inherit' : 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    const ready = await fetch(`${base}/latest/readyz`).then((r) => r.ok, () => false);
    if (ready) return { child, base };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the API did not become ready');
}

async function stopApi({ child }) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT'); // a clean exit is what makes --cpu-prof write its file
  await exited;
}

async function credential(base, kind) {
  const form = new URLSearchParams({ username: 'admin', password: PASSWORD });
  const login = await fetch(`${base}/latest/user/login`, { method: 'POST', body: form });
  if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
  const { access_token: jwt } = await login.json();
  if (kind === 'jwt') return jwt;
  const created = await fetch(`${base}/latest/user/me/tokens`, {
    method: 'POST', headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench' }),
  });
  if (!created.ok) throw new Error(`token: ${created.status} ${await created.text()}`);
  return (await created.json()).token;
}

const NODE_BODY = JSON.stringify({ kind: 'test', name: 'bench-test', path: ['checkout', 'test'], data: { runtime: 'lab-1', platform: 'board-1' } });

function cannon(bases, token, options) {
  return new Promise((resolveRun, reject) => {
    // One autocannon instance per process, clients split evenly: the load balancer of the bench.
    const runs = bases.map((base) =>
      autocannon({
        url: `${base}/latest/node`, method: 'POST', connections: Math.ceil(options.clients / bases.length), duration: options.seconds,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: NODE_BODY,
      }),
    );
    Promise.all(runs).then((results) => {
      const ok = results.reduce((n, r) => n + r['2xx'], 0);
      const bad = results.reduce((n, r) => n + r.non2xx + r.errors, 0);
      resolveRun({ perSecond: ok / options.seconds, p50: Math.max(...results.map((r) => r.latency.p50)), p99: Math.max(...results.map((r) => r.latency.p99)), bad });
    }, reject);
  });
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux; null elsewhere). The
 * profile's shares are of wall time, in which a socket write that wakes PostgreSQL on a busy core
 * looks expensive; this is what the process really ran.
 */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

/** Busy and total CPU time of the whole machine (all cores), from /proc/stat. */
function machineSeconds() {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const idle = ticks[3] + ticks[4];
    const total = ticks.reduce((a, b) => a + b, 0);
    return { busy: (total - idle) / 100, total: total / 100 };
  } catch {
    return null;
  }
}

/** Milliseconds of CPU per request between two readings (null when /proc is not there). */
const perRequest = (before, after, requests) => (before === null || after === null ? null : ((1000 * (after - before)) / requests).toFixed(2));

/** The same rows the API writes, sent through `pg`: one transaction of two inserts each. */
async function rawInsert(url, options) {
  const pool = new pg.Pool({ connectionString: url, max: options.clients });
  const node = JSON.parse(NODE_BODY);
  let done = 0;
  const until = Date.now() + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      const client = await pool.connect();
      while (Date.now() < until) {
        const id = randomBytes(12).toString('hex');
        const now = new Date();
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO node (id, kind, name, path, state, artifacts, data, debug, platform_filter, created, updated, timeout, owner, user_groups)
           VALUES ($1, $2, $3, $4, 'running', '{}', $5, '{}', '[]', $6, $6, $6, 'admin', '[]')`,
          [id, node.kind, node.name, JSON.stringify(node.path), JSON.stringify(node.data), now],
        );
        await client.query(
          `INSERT INTO eventhistory (id, "timestamp", sequence_id, channel, owner, data, xid)
           VALUES ($1, $2, nextval('maestro_event_sequence'), 'node', 'admin', $3, pg_current_xact_id())`,
          [randomBytes(12).toString('hex'), now, JSON.stringify({ op: 'created', id, kind: node.kind, name: node.name })],
        );
        await client.query('COMMIT');
        done++;
      }
      client.release();
    }),
  );
  await pool.end();
  return done / options.seconds;
}

/** Sums self time per function over the profile's samples; the top 20 with their share. */
function topFrames(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const deltas = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const { callFrame: f } = byId.get(id);
    const where = f.url ? `${f.url.replace(/^.*node_modules\//, '').replace(`file://${REPO}/`, '')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([frame, us]) => ({ frame, '% self': ((100 * us) / total).toFixed(1) }));
}

export async function main(args) {
  const options = parseArgs(args);
  const server = process.env.DATABASE_URL;
  if (!server?.startsWith('postgres')) throw new Error('DATABASE_URL must be a postgres:// URL');
  const schema = `maestro_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(server);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const apis = [];
  try {
    // Sequentially: replicas apply migrations under a lock anyway, and one start at a time is lighter.
    for (let i = 0; i < options.replicas; i++) apis.push(await startApi(url.toString(), options.profile, options.api, options.logLevel));
    const token = await credential(apis[0].base, options.token);
    await cannon(apis.map((a) => a.base), token, { ...options, seconds: 3 }); // warm-up
    const before = { api: apis.map((a) => cpuSeconds(a.child.pid)), self: process.cpuUsage(), machine: machineSeconds() };
    const api = await cannon(apis.map((a) => a.base), token, options);
    const after = { api: apis.map((a) => cpuSeconds(a.child.pid)), self: process.cpuUsage(before.self), machine: machineSeconds() };
    const created = api.perSecond * options.seconds;
    for (const a of apis.splice(0)) await stopApi(a);
    const rawBefore = { self: process.cpuUsage(), machine: machineSeconds() };
    const raw = await rawInsert(url.toString(), options);
    const rawSelf = process.cpuUsage(rawBefore.self);
    const rawMachine = machineSeconds();
    const cores = (m0, m1) => (m0 && m1 ? ((m1.busy - m0.busy) / options.seconds).toFixed(2) : null);
    console.log(`\nPOST /latest/node, ${options.clients} clients, ${options.seconds} s, ${options.replicas} API process(es) of ${options.api}, ${options.token} caller, LOG_LEVEL=${options.logLevel}`);
    console.table([
      { measure: 'API creates/s', value: Math.round(api.perSecond), 'p50 ms': api.p50, 'p99 ms': api.p99, 'non-2xx': api.bad },
      { measure: 'raw two-row insert/s', value: Math.round(raw) },
      { measure: 'ratio API / raw', value: (api.perSecond / raw).toFixed(2) },
    ]);
    // Where the CPU went: each API process, the load generator (this process) and the whole machine
    // (busy cores, other sessions included), per create. The raw loop's client is this process too.
    console.table([
      ...before.api.map((cpu, i) => ({ measure: `API process ${i + 1}, CPU ms per create`, value: perRequest(cpu, after.api[i], created) })),
      { measure: 'autocannon, CPU ms per create', value: perRequest(0, (after.self.user + after.self.system) / 1e6, created) },
      { measure: 'machine busy cores during the API run', value: cores(before.machine, after.machine) },
      { measure: 'raw loop client, CPU ms per transaction', value: perRequest(0, (rawSelf.user + rawSelf.system) / 1e6, raw * options.seconds) },
      { measure: 'machine busy cores during the raw run', value: cores(rawBefore.machine, rawMachine) },
    ]);
    if (options.profile) {
      for (const file of readdirSync(options.profile).filter((f) => f.endsWith('.cpuprofile'))) {
        console.log(`\nTop self-time frames: ${file}`);
        console.table(topFrames(join(options.profile, file)));
      }
    }
  } finally {
    for (const a of apis) await stopApi(a);
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
