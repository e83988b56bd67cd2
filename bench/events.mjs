// Two measures of the event path, each next to a raw baseline measured in the same run:
//
// 1. Event-producing writes/s: W concurrent writers (default 8), each committing transactions of
//    one small row insert plus an event append, against the same transactions without the append
//    (storage adapter from the build, throw-away schema). With the counter row locked until commit
//    (before ADR 0005's visibility bound) the event-producing ones committed one at a time.
// 2. Commit-to-subscriber latency of Maestro's socket.io interface for N subscribers, next to a raw
//    socket.io emit (bench/raw-socketio-server.mjs).
//
// Both sides do the same thing from the client's view: an HTTP POST that leads to one socket.io
// message at each of N subscribers. For Maestro the POST is `/publish/bench`, whose event is
// committed to the log and then delivered by each subscription's stream; for the baseline the
// handler emits directly. Latency = POST sent → message received, per (event, subscriber).
//
//   node bench/run.mjs events [--subscribers=N] [--events=M] [--writers=W] [--seconds=S]   (after `npm run build`)
//   DATABASE_URL=postgres://… REDIS_URL=redis://… to measure on a server instead of PGlite.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';

const root = fileURLToPath(new URL('..', import.meta.url));

function option(args, name, fallback) {
  const found = args.find((arg) => arg.startsWith(`--${name}=`));
  return found ? Number(found.split('=')[1]) : fallback;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startProcess(script, env, readyUrl) {
  const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${script} exited:\n${output}`);
    try {
      await fetch(readyUrl);
      return child;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`${script} did not start:\n${output}`);
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Connects N subscribers, then sends M events one at a time and records each delivery latency. */
async function measure({ baseUrl, token, subscribers, events, publishPath }) {
  const sockets = [];
  let pending = null;
  const latencies = [];
  for (let i = 0; i < subscribers; i += 1) {
    const socket = io(`${baseUrl}/pubsub`, { path: '/latest/socket.io/', auth: { token }, transports: ['websocket'], reconnection: false });
    await new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    socket.on('event', (message) => {
      if (!pending || message.event.data?.n !== pending.n) return;
      latencies.push(performance.now() - pending.sentAt);
      pending.remaining -= 1;
      if (pending.remaining === 0) pending.resolve();
    });
    await socket.timeout(5_000).emitWithAck('subscribe', { channel: 'bench', promisc: true });
    sockets.push(socket);
  }
  const headers = { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) };
  const warmup = Math.min(20, Math.floor(events / 5));
  for (let n = 0; n < events + warmup; n += 1) {
    const delivered = new Promise((resolve) => {
      pending = { n, sentAt: performance.now(), remaining: subscribers, resolve };
    });
    if (n === warmup) latencies.length = 0;
    const response = await fetch(`${baseUrl}${publishPath}`, { method: 'POST', headers, body: JSON.stringify({ data: { n } }) });
    await response.text();
    await delivered;
  }
  for (const socket of sockets) socket.disconnect();
  const sorted = latencies.sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), samples: sorted.length };
}

/** Transactions/s of `writers` concurrent loops over `seconds`; `work(tx, writer, n)` is one transaction's body. */
async function throughput(storage, { writers, seconds }, work) {
  const deadline = performance.now() + seconds * 1000;
  let committed = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let n = 0; performance.now() < deadline; n += 1) {
        await storage.transaction((tx) => work(tx, writer, n));
        committed += 1;
      }
    }),
  );
  return committed / seconds;
}

/** Event-producing writes/s against the same writes without an event, on the storage adapter itself. */
async function measureWrites(url, options) {
  const { PostgresStorage } = await import(`${root}api/dist/storage/postgres/postgres.storage.js`);
  const target = url.startsWith('postgres') ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: null };
  const storage = await PostgresStorage.open(target);
  try {
    const run = randomBytes(4).toString('hex');
    const write = (tx, writer, n, tag) => tx.leases.tryAcquire(`bench-${run}-${tag}-${writer}-${n}`, 'bench', 60_000);
    const event = () => ({ id: randomBytes(12).toString('hex'), timestamp: new Date(), channel: 'bench-writes', owner: null, data: { op: 'updated' }, ce: null });
    await throughput(storage, { ...options, seconds: 1 }, (tx, w, n) => write(tx, w, n, 'warm')); // warm-up
    const plain = await throughput(storage, options, (tx, w, n) => write(tx, w, n, 'plain'));
    const withEvent = await throughput(storage, options, async (tx, w, n) => {
      await write(tx, w, n, 'event');
      await tx.events.append(event());
    });
    // The previous design for comparison: a counter row locked from the append until commit
    // (subscriptions.nextId() updates a maestro_counter row the same way the old append did).
    const locked = await throughput(storage, options, async (tx, w, n) => {
      await write(tx, w, n, 'locked');
      await tx.subscriptions.nextId();
      await tx.events.append(event());
    });
    return { plain, withEvent, locked };
  } finally {
    await storage.close();
  }
}

/** On a PostgreSQL server the API gets a throw-away schema, dropped afterwards. */
async function databaseFor(url) {
  if (!url?.startsWith('postgres')) return { url: url ?? 'pglite:memory', drop: async () => undefined };
  const { default: pg } = await import('pg');
  const schema = `maestro_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: scoped.toString(),
    drop: async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

export async function run(args = []) {
  const subscribers = option(args, 'subscribers', 10);
  const events = option(args, 'events', 200);
  const writers = option(args, 'writers', 8);
  const seconds = option(args, 'seconds', 5);
  const db = await databaseFor(process.env.DATABASE_URL);
  const database = db.url;
  const target = `${database.split(':')[0]}${process.env.REDIS_URL ? ' + Redis' : ''}`;

  let writes;
  try {
    writes = await measureWrites(database, { writers, seconds });
  } catch (error) {
    await db.drop();
    throw error;
  }
  console.log(`events: writes/s, ${writers} concurrent writers, ${seconds} s each (${target})`);
  console.log(`  one row insert per transaction           ${writes.plain.toFixed(0)}/s`);
  console.log(`  the same plus an event append            ${writes.withEvent.toFixed(0)}/s`);
  console.log(`  ratio with event / without               ×${(writes.withEvent / writes.plain).toFixed(2)}   (target ≥ 0.8 on PostgreSQL)`);
  console.log(`  previous design (counter row locked)     ${writes.locked.toFixed(0)}/s   ×${(writes.locked / writes.plain).toFixed(2)}`);

  const rawPort = await freePort();
  const raw = await startProcess(`${root}bench/raw-socketio-server.mjs`, { PORT: String(rawPort) }, `http://127.0.0.1:${rawPort}/`);
  const apiPort = await freePort();
  const apiEnv = { PORT: String(apiPort), HOST: '127.0.0.1', DATABASE_URL: database, SECRET_KEY: 'bench-secret', KCI_INITIAL_PASSWORD: 'bench-password', LOG_LEVEL: 'warn', LIFECYCLE_ENABLED: 'false' };
  if (process.env.REDIS_URL) apiEnv.REDIS_URL = process.env.REDIS_URL;
  const api = await startProcess(`${root}api/dist/main.js`, apiEnv, `http://127.0.0.1:${apiPort}/`);
  try {
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const login = await fetch(`${apiUrl}/user/login`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'username=admin&password=bench-password' });
    const { access_token: token } = await login.json();

    const baseline = await measure({ baseUrl: `http://127.0.0.1:${rawPort}`, token: 'unused', subscribers, events, publishPath: '/emit' });
    const maestro = await measure({ baseUrl: apiUrl, token, subscribers, events, publishPath: '/publish/bench' });
    const ms = (value) => `${value.toFixed(2)} ms`;
    console.log(`events: commit-to-subscriber latency, ${subscribers} socket.io subscribers, ${events} events one at a time (${target})`);
    console.log(`  raw socket.io emit   p50 ${ms(baseline.p50)}  p99 ${ms(baseline.p99)}  (${baseline.samples} deliveries)`);
    console.log(`  maestro /publish     p50 ${ms(maestro.p50)}  p99 ${ms(maestro.p99)}  (${maestro.samples} deliveries)`);
    console.log(`  ratio maestro/raw    p50 ×${(maestro.p50 / baseline.p50).toFixed(1)}  p99 ×${(maestro.p99 / baseline.p99).toFixed(1)}`);
    return { subscribers, events, writes, baseline, maestro };
  } finally {
    raw.kill('SIGTERM');
    api.kill('SIGTERM');
    await new Promise((resolve) => api.once('exit', resolve));
    await db.drop();
  }
}
