// Shared pieces of the events benchmark (bench/events.mjs): options, child processes (the API, the
// raw baseline servers, the socket.io client workers), a paced open-loop publisher, percentiles,
// resident memory of a process, and time limits so that a stuck scenario fails instead of hanging.
import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { apiNodeArgs } from './load.mjs';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** `--name=value` or `--name value`; numbers unless `text` is set. */
export function option(args, name, fallback, text = false) {
  const index = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (index < 0) return fallback;
  const value = args[index].includes('=') ? args[index].slice(args[index].indexOf('=') + 1) : args[index + 1];
  if (value === undefined) return fallback;
  return text ? value : Number(value);
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across the bench's processes. */
export const epochMs = () => performance.timeOrigin + performance.now();

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Every child the benchmark started, so that `stopAll` ends them even after a failure. */
const children = new Set();

function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export async function stopChild(child, signal = 'SIGTERM') {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export async function stopAll() {
  await Promise.all([...children].map((child) => stopChild(child)));
}

/** Starts `node script` and waits until `readyUrl` answers. */
export async function startProcess(script, env, readyUrl, nodeArgs = []) {
  const child = track(spawn(process.execPath, [...nodeArgs, script], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
  let output = '';
  const keep = (chunk) => (output = (output + chunk).slice(-256_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${script} exited:\n${output}`);
    try {
      await fetch(readyUrl);
      child.output = () => output;
      return child;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await stopChild(child, 'SIGKILL');
  throw new Error(`${script} did not start within 180 s:\n${output}`);
}

/**
 * Starts the built API as a child process (so its memory can be read) and logs in as the admin.
 * The per-user subscription cap is raised: every bench subscriber is the same user.
 */
export async function startApi(database, extraEnv = {}) {
  const port = await freePort();
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: database,
    SECRET_KEY: 'bench-secret',
    KCI_INITIAL_PASSWORD: 'bench-password',
    LOG_LEVEL: 'warn',
    LIFECYCLE_ENABLED: 'false',
    NODE_PURGE_AGE_DAYS: '0',
    MAX_SUBSCRIPTIONS_PER_USER: '100000',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...extraEnv,
  };
  // Node options of the API only (bench/README.md "events").
  const child = await startProcess(`${root}api/dist/main.js`, env, `http://127.0.0.1:${port}/`, apiNodeArgs());
  // The API's output (e.g. of --trace-gc) appended to a file as well.
  if (process.env.BENCH_API_LOG) for (const stream of [child.stdout, child.stderr]) stream.pipe(createWriteStream(process.env.BENCH_API_LOG, { flags: 'a' }));
  const url = `http://127.0.0.1:${port}`;
  const login = await fetch(`${url}/user/login`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'username=admin&password=bench-password' });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const { access_token: token } = await login.json();
  return { url, token, child, pid: child.pid, stop: () => stopChild(child) };
}

/** The raw baseline (bench/raw-socketio-server.mjs): socket.io emit and held long-polls, no database. */
export async function startRaw() {
  const port = await freePort();
  const child = await startProcess(`${root}bench/raw-socketio-server.mjs`, { PORT: String(port) }, `http://127.0.0.1:${port}/`);
  return { url: `http://127.0.0.1:${port}`, token: 'unused', child, pid: child.pid, stop: () => stopChild(child) };
}

/** Forks one socket.io client worker (bench/events-clients.mjs) and returns a request/answer handle. */
export function forkClients() {
  const child = track(fork(`${root}bench/events-clients.mjs`, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const waiting = new Map();
  let next = 0;
  child.on('message', (message) => {
    const entry = waiting.get(message.id);
    if (!entry) return;
    waiting.delete(message.id);
    if (message.error) entry.reject(new Error(message.error));
    else entry.resolve(message.result);
  });
  child.once('exit', (code) => {
    for (const entry of waiting.values()) entry.reject(new Error(`client worker exited (${code})`));
    waiting.clear();
  });
  return {
    ask: (type, payload) =>
      new Promise((resolve, reject) => {
        const id = (next += 1);
        waiting.set(id, { resolve, reject });
        child.send({ id, type, ...payload });
      }),
    stop: () => stopChild(child),
  };
}

/** Resident set size of a process in MB (Linux /proc), or null elsewhere. */
export function rssMb(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far (Linux /proc), or null elsewhere. */
export function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every 250 ms until `stop()`, which returns the peak. */
export function sampleRss(pid) {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    const now = rssMb(pid);
    if (now !== null && (peak === null || now > peak)) peak = now;
  }, 250);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

/**
 * Exact percentiles of a sorted array. Sample counts here stay below a few million numbers, so
 * sorting them is cheap and exact; a histogram (hdr-histogram-js) would only add a dependency.
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Rejects after `seconds` with a clear message; `onTimeout` releases what the scenario holds. */
export async function withTimeout(label, seconds, work) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: timed out after ${seconds} s`)), seconds * 1000);
  });
  try {
    return await Promise.race([work(), limit]);
  } finally {
    clearTimeout(timer);
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One JSON POST on a kept-alive connection; resolves with the status code. */
export function postJson(url, body, token) {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), Authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.setTimeout(30_000, () => req.destroy(new Error('publish timed out after 30 s')));
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Open-loop publisher: event n is due at start + n / rate, whatever the answers to earlier ones,
 * and carries its due time (`at`), from which subscribers measure latency — a slow server cannot
 * hide queueing by slowing the publisher down. At most `maxInFlight` requests are outstanding; a
 * due event waits for a free slot (and that wait counts in its latency). Sending stops at twice
 * the planned duration (plus 5 s), so an overloaded server ends the run with fewer events
 * (`sent` < `planned`) instead of stretching it.
 */
export async function publishPaced({ url, token, rate, seconds, warmupSeconds, maxInFlight = 256, stamp = {} }) {
  const total = Math.round(rate * (seconds + warmupSeconds));
  const warm = Math.round(rate * warmupSeconds);
  const start = epochMs() + 20;
  const stopAt = start + (2 * (seconds + warmupSeconds) + 5) * 1000;
  const published = [];
  let failed = 0;
  let inFlight = 0;
  let sent = 0;
  let firstError;
  let planned = total;
  await new Promise((resolve) => {
    const pump = () => {
      const now = epochMs();
      if (now > stopAt && sent < planned) {
        planned = sent;
        if (inFlight === 0) return resolve();
      }
      while (sent < planned && inFlight < maxInFlight && start + (sent * 1000) / rate <= now) {
        const n = sent;
        const at = start + (n * 1000) / rate;
        sent += 1;
        inFlight += 1;
        postJson(url, { data: { n, at, warm: n < warm, ...stamp } }, token)
          .then((status) => {
            if (status >= 200 && status < 300) {
              if (n >= warm) published.push(n);
            } else {
              failed += 1;
              firstError ??= `HTTP ${status}`;
            }
          })
          .catch((error) => {
            failed += 1;
            firstError ??= error.message;
          })
          .finally(() => {
            inFlight -= 1;
            if (sent === planned && inFlight === 0) resolve();
          });
      }
      if (sent < planned) setTimeout(pump, 1);
    };
    pump();
  });
  const elapsed = (epochMs() - start) / 1000;
  return { published: published.sort((a, b) => a - b), failed, firstError, sent, planned: total, achievedRate: sent / elapsed };
}

/** On a PostgreSQL server the API gets a throw-away schema, dropped afterwards. */
export async function databaseFor(url) {
  if (!url?.startsWith('postgres')) return { url: 'pglite:memory', server: false, drop: async () => undefined };
  const { default: pg } = await import('pg');
  const schema = `maestro_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: scoped.toString(),
    server: true,
    schema,
    drop: async () => {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}
