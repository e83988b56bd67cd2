// Commit-to-subscriber latency of Maestro's socket.io interface (contract §10.10) for N subscribers,
// next to a raw socket.io emit measured in the same run (bench/raw-socketio-server.mjs).
//
// Both sides do the same thing from the client's view: an HTTP POST that leads to one socket.io
// message at each of N subscribers. For Maestro the POST is `/publish/bench`, whose event is
// committed to the log and then delivered by each subscription's stream; for the baseline the
// handler emits directly. Latency = POST sent → message received, per (event, subscriber).
//
//   node bench/run.mjs events [--subscribers=N] [--events=M]   (after `npm run build`)
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
  const db = await databaseFor(process.env.DATABASE_URL);
  const database = db.url;

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
    console.log(`events: commit-to-subscriber latency, ${subscribers} socket.io subscribers, ${events} events (${database.split(':')[0]}${process.env.REDIS_URL ? ' + Redis' : ''})`);
    console.log(`  raw socket.io emit   p50 ${ms(baseline.p50)}  p99 ${ms(baseline.p99)}  (${baseline.samples} deliveries)`);
    console.log(`  maestro /publish     p50 ${ms(maestro.p50)}  p99 ${ms(maestro.p99)}  (${maestro.samples} deliveries)`);
    console.log(`  ratio maestro/raw    p50 ×${(maestro.p50 / baseline.p50).toFixed(1)}  p99 ×${(maestro.p99 / baseline.p99).toFixed(1)}`);
    return { subscribers, events, baseline, maestro };
  } finally {
    raw.kill('SIGTERM');
    api.kill('SIGTERM');
    await new Promise((resolve) => api.once('exit', resolve));
    await db.drop();
  }
}
