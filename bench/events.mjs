// Events benchmark (issue #13): the event path of the built API, driven only through its public wire
// (HTTP, socket.io as the SDK uses it, `/listen`) and the storage port of the build, each measure
// next to a raw baseline measured in the same run. Prints one table; see bench/README.md.
//
//   npm run bench -- events [--only writes,latency,fanout,catchup,listen] [--seconds 5]
//     [--writers 8] [--subscribers 100 --rate 1000] [--fanout-subscribers 1000 --fanout-rate 100]
//     [--catchup 100000] [--listeners 500 --rounds 10] [--workers 2] [--timeout 300]
//   DATABASE_URL=postgres://… REDIS_URL=redis://… to measure on a server (else PGlite in memory).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendMissed, readRaw, resume, takeCursor } from './events-catchup.mjs';
import { databaseFor, option, startApi, startRaw, stopAll, withTimeout } from './events-common.mjs';
import { measureListen } from './events-listen.mjs';
import { measureFanout } from './events-sockets.mjs';
import { measureWrites } from './events-writes.mjs';

const SCENARIOS = ['writes', 'latency', 'fanout', 'catchup', 'listen'];

const fmt = {
  rate: (v) => `${Math.round(v).toLocaleString('en')}/s`,
  ms: (v) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a'),
  ratio: (a, b) => (Number.isFinite(a / b) && b > 0 ? `×${(a / b).toFixed(a / b >= 10 ? 0 : 2)}` : '—'),
};

/** One row of the table: measure, maestro, raw, ratio, target, result (pass/miss or blank). */
const row = (measure, maestro, raw, ratio = '', target = '', pass) => ({ measure, maestro, raw, ratio, target, result: pass === undefined ? '' : pass ? 'pass' : 'MISS' });

async function writesScenario(o) {
  const w = await measureWrites(o.database, { writers: o.writers, seconds: o.seconds });
  return [
    row(`writes/s, ${o.writers} writers, with event vs without`, fmt.rate(w.withEvent), fmt.rate(w.plain), fmt.ratio(w.withEvent, w.plain), '≥ 0.8×', w.withEvent / w.plain >= 0.8),
    row('  append as its own statement (before ADR 0020)', fmt.rate(w.separate), fmt.rate(w.plain), fmt.ratio(w.separate, w.plain)),
    row('  previous design (counter row locked to commit)', fmt.rate(w.locked), fmt.rate(w.plain), fmt.ratio(w.locked, w.plain)),
  ];
}

/** Runs the same fan-out against the raw server and the API, each process started for it. */
async function fanoutPair(o, subscribers, rate, channel) {
  const shape = { channel, subscribers, rate, seconds: o.seconds, workers: o.workers };
  const raw = await startRaw();
  let baseline;
  try {
    baseline = await measureFanout({ ...shape, server: raw, publishPath: '/emit' });
  } finally {
    await raw.stop();
  }
  const api = await startApi(o.database);
  try {
    const maestro = await measureFanout({ ...shape, server: api, publishPath: `/publish/${channel}` });
    // The API's last logged warning or error (pino, level ≥ 40) explains refused publishes.
    const errorLine = api.child.output().split('\n').reverse().find((line) => /"level":(40|50|60)/.test(line));
    if (maestro.publishFailed > 0 && errorLine) maestro.publishError += `; API log: ${errorLine.slice(0, 300)}`;
    return { maestro, baseline };
  } finally {
    await api.stop();
  }
}

/** Lost / out of order, and the publishes the server refused (which count as a miss). */
const lostCell = (r) => `${r.lost} / ${r.outOfOrder}${r.publishFailed ? ` (${r.publishFailed} publishes failed)` : ''}`;

function fanoutNotes(label, { maestro, baseline }) {
  const side = (name, r) =>
    `${name}: sent ${r.sent} of ${r.planned} events at ${fmt.rate(r.achievedRate)}, ${r.samples} deliveries timed, ` +
    `CPU s server ${r.serverCpu?.toFixed(1)} / client workers ${r.clientCpu.toFixed(1)} / publisher ${r.publisherCpu.toFixed(1)}, ` +
    `max ${fmt.ms(r.max)}, duplicates ${r.duplicates}, publish errors ${r.publishFailed}${r.publishError ? ` (${r.publishError})` : ''}, closed subscriptions ${r.closed}`;
  return [`${label} — ${side('maestro', maestro)}`, `${label} — ${side('raw', baseline)}`];
}

/**
 * The sustained socket.io rows: `latency` (100 @ 1,000: p99 ≤ 25 ms, 0 lost, 0 out of order) and
 * `fanout` (1,000 @ 100: p99 ≤ 100 ms, 0 lost, and the server's memory).
 */
async function socketRows(o, { subscribers, rate, channel, p99Target, ordered }) {
  const pair = await fanoutPair(o, subscribers, rate, channel);
  const { maestro: m, baseline: b } = pair;
  const label = `${subscribers} subs @ ${rate} ev/s`;
  o.notes.push(...fanoutNotes(label, pair));
  const rows = [
    row(`${label}: publish → socket.io p50`, fmt.ms(m.p50), fmt.ms(b.p50), fmt.ratio(m.p50, b.p50)),
    row(`${label}: p99`, fmt.ms(m.p99), fmt.ms(b.p99), fmt.ratio(m.p99, b.p99), `≤ ${p99Target} ms`, m.p99 <= p99Target),
    row(`${label}: lost / out of order`, lostCell(m), lostCell(b), '', ordered ? '0 / 0' : '0 lost', m.lost === 0 && m.publishFailed === 0 && (!ordered || m.outOfOrder === 0)),
  ];
  if (!ordered) rows.push(row(`${label}: server RSS idle → peak`, `${m.rssIdle} → ${m.rssPeak} MB`, `${b.rssIdle} → ${b.rssPeak} MB`, fmt.ratio(m.rssPeak, b.rssPeak)));
  return rows;
}

const latencyScenario = (o) => socketRows(o, { subscribers: o.subscribers, rate: o.rate, channel: 'bench-latency', p99Target: 25, ordered: true });
const fanoutScenario = (o) => socketRows(o, { subscribers: o.fanoutSubscribers, rate: o.fanoutRate, channel: 'bench-fanout', p99Target: 100, ordered: false });

async function catchupScenario(o) {
  // PGlite is one process's database: the API stops while the bench writes and reads its folder.
  const folder = o.server ? null : mkdtempSync(join(tmpdir(), 'maestro-bench-events-'));
  const database = o.server ? o.database : `pglite:${folder}`;
  const target = o.server ? { kind: 'postgres', url: o.database } : { kind: 'pglite', dataDir: folder };
  let api;
  try {
    api = await startApi(database);
    const cursor = await takeCursor(api);
    if (!o.server) await api.stop();
    const appendRate = await appendMissed(target, o.catchup);
    const raw = await readRaw(target, cursor, o.catchup);
    if (!o.server) api = await startApi(database);
    const m = await resume(api, o.catchup);
    o.notes.push(`catch-up — ${o.catchup.toLocaleString('en')} events appended through the storage port at ${fmt.rate(appendRate)}; maestro took ${m.seconds.toFixed(1)} s, duplicates ${m.duplicates}, failed acks ${m.ackErrors}`);
    return [
      row(`durable catch-up of ${o.catchup.toLocaleString('en')} events, 1 subscriber`, fmt.rate(m.rate), `${fmt.rate(raw.rate)} (SQL pages)`, fmt.ratio(m.rate, raw.rate), '≥ 20,000/s', m.rate >= 20_000 && m.lost === 0 && m.outOfOrder === 0),
      row('  catch-up lost / out of order', `${m.lost} / ${m.outOfOrder}`, '—', '', '0 / 0', m.lost === 0 && m.outOfOrder === 0),
    ];
  } finally {
    await api?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
}

async function listenScenario(o) {
  const shape = { listeners: o.listeners, rounds: o.rounds };
  const raw = await startRaw();
  let b;
  try {
    b = await measureListen({ ...shape, server: raw, raw: true });
  } finally {
    await raw.stop();
  }
  const api = await startApi(o.database);
  try {
    const m = await measureListen({ ...shape, server: api, raw: false });
    o.notes.push(`/listen — ${o.rounds} events × ${o.listeners} held requests; maestro keep-alives ${m.beeps}, raw ${b.beeps}`);
    return [
      row(`/listen, ${o.listeners} held: publish → answer p50`, fmt.ms(m.p50), fmt.ms(b.p50), fmt.ratio(m.p50, b.p50)),
      row(`/listen, ${o.listeners} held: p99 (lost)`, `${fmt.ms(m.p99)} (${m.lost})`, `${fmt.ms(b.p99)} (${b.lost})`, fmt.ratio(m.p99, b.p99)),
    ];
  } finally {
    await api.stop();
  }
}

const RUN = { writes: writesScenario, latency: latencyScenario, fanout: fanoutScenario, catchup: catchupScenario, listen: listenScenario };

function printTable(title, rows) {
  const columns = ['measure', 'maestro', 'raw', 'ratio', 'target', 'result'];
  const width = Object.fromEntries(columns.map((c) => [c, Math.max(c.length, ...rows.map((r) => String(r[c]).length))]));
  const line = (r) => columns.map((c) => String(r[c]).padEnd(width[c])).join(' | ').trimEnd();
  console.log(`\n${title}`);
  console.log(line(Object.fromEntries(columns.map((c) => [c, c]))));
  console.log(columns.map((c) => '-'.repeat(width[c])).join('-|-'));
  for (const r of rows) console.log(line(r));
}

export async function run(args = []) {
  const only = option(args, 'only', SCENARIOS.join(','), true).split(',');
  const unknown = only.filter((name) => !SCENARIOS.includes(name));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
  const db = await databaseFor(process.env.DATABASE_URL);
  const o = {
    database: db.url,
    server: db.server,
    seconds: option(args, 'seconds', 5),
    writers: option(args, 'writers', 8),
    subscribers: option(args, 'subscribers', 100),
    rate: option(args, 'rate', 1000),
    fanoutSubscribers: option(args, 'fanout-subscribers', 1000),
    fanoutRate: option(args, 'fanout-rate', 100),
    // PGlite appends about 500 events/s here: its default keeps the run within a few minutes.
    catchup: option(args, 'catchup', db.server ? 100_000 : 20_000),
    listeners: option(args, 'listeners', 500),
    rounds: option(args, 'rounds', 10),
    workers: option(args, 'workers', 2),
    timeout: option(args, 'timeout', 300),
    notes: [],
  };
  const target = `${db.server ? 'PostgreSQL server' : 'PGlite (in memory; catch-up on a folder)'}${process.env.REDIS_URL ? ' + Redis' : ''}`;
  const onSignal = async () => {
    await stopAll();
    await db.drop().catch(() => undefined);
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const rows = [];
  const failures = [];
  try {
    for (const name of SCENARIOS.filter((s) => only.includes(s))) {
      console.log(`events: ${name} …`);
      const started = performance.now();
      try {
        const result = await withTimeout(`scenario ${name}`, o.timeout, () => RUN[name](o));
        rows.push(...result);
        for (const r of result) console.log(`  ${r.measure}: ${r.maestro} vs ${r.raw} ${r.ratio}`);
        console.log(`  (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      } catch (error) {
        // A failed or stuck scenario ends its processes and shows in the table; the others still run.
        console.log(`  FAILED: ${error.message.split('\n')[0]}`);
        failures.push(name);
        rows.push(row(`${name}: FAILED — ${error.message.split('\n')[0].slice(0, 90)}`, 'n/a', 'n/a', '', '', false));
        await stopAll();
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
    await db.drop();
  }
  printTable(`events (${target}; ${o.seconds} s per sustained run, client sockets in ${o.workers} worker processes)`, rows);
  for (const note of o.notes) console.log(`  ${note}`);
  if (failures.length > 0) process.exitCode = 1;
  return { rows, notes: o.notes, failures };
}
