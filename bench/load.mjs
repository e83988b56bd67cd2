// Load helpers of the node benchmark (bench/nodes.mjs): the API in a child process of its own,
// HTTP load through autocannon, and the raw baseline's concurrent loop over a `pg` pool, so both
// sides of a ratio are measured the same way (fixed duration, fixed concurrency, p50/p99).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const main = join(dirname(fileURLToPath(import.meta.url)), '../api/dist/main.js');

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resident set size of a process in MB, from /proc (Linux). */
export function rssOf(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}

/** Node options for the API process only, from `BENCH_API_NODE_ARGS` (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, not allowed in NODE_OPTIONS). */
export function apiNodeArgs() {
  return process.env.BENCH_API_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
}

/**
 * Starts `node api/dist/main.js` on `databaseUrl`; answers its base URL, pid, a bearer token and `stop()`.
 * `BENCH_API_NODE_ARGS` adds options to that node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
 * (not allowed in NODE_OPTIONS); the profile is written when `stop()` ends the API.
 */
export async function startApi(databaseUrl) {
  const port = await freePort();
  const env = {
    ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', SECRET_KEY: 'bench',
    KCI_INITIAL_PASSWORD: 'bench-password', LOG_LEVEL: 'warn', LIFECYCLE_ENABLED: 'false', NODE_PURGE_AGE_DAYS: '0',
  };
  delete env.REDIS_URL; // in-process event fan-out: the benchmark measures one API process
  const child = spawn(process.execPath, [...apiNodeArgs(), main], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}/latest`;
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`${base}/user/login`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'username=admin&password=bench-password' });
      if (res.ok) {
        const { access_token: token } = await res.json();
        return { base, pid: child.pid, token, stop: async () => (child.kill('SIGTERM'), await exited) };
      }
    } catch {
      // not listening yet
    }
    if (i > 300 || child.exitCode !== null) throw new Error('the API did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** One autocannon run; throws when any answer is not 2xx. */
export async function http(options) {
  const result = await autocannon({ connections: 16, duration: 5, ...options });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${options.title ?? options.url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} time-outs`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, count: result.requests.total };
}

/** `concurrency` loops calling `work(worker, i)` for `seconds`: throughput and latency, as autocannon reports them. */
export async function raw({ concurrency = 16, seconds = 5, work }) {
  const samples = [];
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; Date.now() < end; i++) {
        const start = performance.now();
        await work(worker, i);
        samples.push(performance.now() - start);
      }
    }),
  );
  samples.sort((a, b) => a - b);
  const at = (q) => samples[Math.min(samples.length - 1, Math.floor(samples.length * q))];
  return { rps: samples.length / seconds, p50: at(0.5), p99: at(0.99), count: samples.length };
}

/** `runs` sequential calls after 3 warm-up calls: p50 and p99 in ms. */
export async function sequential(runs, work) {
  const samples = [];
  for (let i = 0; i < runs + 3; i++) {
    const start = performance.now();
    await work(i);
    if (i >= 3) samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length / 2)], p99: samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.99))] };
}
