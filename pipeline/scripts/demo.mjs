#!/usr/bin/env node
// `npm run demo`: the quickest way to see Maestro work. Starts an API on the embedded default
// (in-memory PGlite), creates a pipeline user and API token through the SDK, makes a toy git
// repository with two commits, runs every pipeline service as its own process, waits for both
// reports, prints them and exits 0. Needs the build (`npm run build`); `npm run demo` does it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const require = createRequire(import.meta.url);
const sdk = require('@maestro-ci/sdk');
const toy = require(join(root, 'pipeline/dist-fixtures/toy-repo.js'));
const cli = join(root, 'pipeline/dist/cli.js');
const SERVICES = ['storage', 'trigger', 'tarball', 'scheduler', 'runtime-shell', 'report'];
const BUDGET_MS = 240_000;

const say = (msg) => process.stdout.write(`demo: ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

async function until(what, check, intervalMs = 500) {
  const deadline = Date.now() + BUDGET_MS;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

const children = [];
function start(name, args, env) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = { name, child, lines: [] };
  let buffer = '';
  child.stdout.on('data', (chunk) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop();
    for (const line of parts) {
      proc.lines.push(line);
      if (!line.startsWith('{')) continue;
      const r = JSON.parse(line);
      if (['checkout.created', 'checkout.available', 'job.created', 'results.submitted', 'report.written'].includes(r.action)) {
        const extra = r.action === 'results.submitted' ? ` ${r.job}: ${r.result}` : r.job ? ` ${r.job}` : '';
        say(`${r.service.padEnd(13)} ${r.action}${extra} ${r.node ?? ''}`);
      }
      if (r.level === 'error' || r.level === 'warn') say(`${r.service} ${r.level}: ${r.msg} ${r.error ? JSON.stringify(r.error) : ''}`);
    }
  });
  child.stderr.on('data', (chunk) => proc.lines.push(...chunk.toString().split('\n').filter(Boolean).map((l) => `stderr: ${l}`)));
  children.push(proc);
  return proc;
}

// Services first (they close their subscriptions through the API), then the API.
async function stopAll() {
  await stopEach(children.filter((c) => c.name !== 'api'));
  await stopEach(children.filter((c) => c.name === 'api'));
}

async function stopEach(procs) {
  await Promise.all(
    procs.map(
      ({ child }) =>
        new Promise((ok) => {
          if (child.exitCode !== null || child.signalCode !== null) return ok();
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => {
            clearTimeout(timer);
            ok();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-demo-'));
  try {
    const apiPort = await freePort();
    const adminPassword = randomBytes(12).toString('base64url');
    const baseUrl = `http://127.0.0.1:${apiPort}`;
    say(`starting the API on ${baseUrl} (embedded in-memory PostgreSQL)`);
    start('api', [join(root, 'api/dist/main.js')], {
      DATABASE_URL: 'pglite:memory',
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      SECRET_KEY: randomBytes(24).toString('base64url'),
      KCI_INITIAL_PASSWORD: adminPassword,
      LIFECYCLE_INTERVAL_SECONDS: '1',
      LOG_LEVEL: 'warn',
    });
    await until('the API', async () => (await fetch(`${baseUrl}/latest/`)).ok);

    const anonymous = sdk.createClient({ baseUrl });
    say('creating the pipeline user and its API token through the SDK');
    const { access_token } = await anonymous.tokens.login({ username: 'admin', password: adminPassword });
    const admin = sdk.createClient({ baseUrl, token: access_token });
    const invite = await admin.raw.POST('/user/invite', { body: { username: 'pipeline', email: 'pipeline@example.invalid', send_email: false, return_token: true } });
    if (invite.error) throw new Error(`invite: ${JSON.stringify(invite.error)}`);
    const password = randomBytes(12).toString('base64url');
    const accepted = await anonymous.raw.POST('/user/accept-invite', { body: { token: invite.data.token, password } });
    if (accepted.error) throw new Error(`accept-invite: ${JSON.stringify(accepted.error)}`);
    const login = await anonymous.tokens.login({ username: 'pipeline', password });
    const { token } = await sdk.createClient({ baseUrl, token: login.access_token }).tokens.create({ name: 'demo-pipeline' });

    const repo = join(dir, 'toy');
    toy.createToyRepo(repo);
    say(`toy repository at ${repo}: commit A tagged v0.1`);
    const storagePort = await freePort();
    const configFile = join(dir, 'pipeline.yaml');
    // Kept after the demo (the rest of its temporary folder is removed): the reports' links point
    // to the artifact server, which stops with the demo, so the files must outlive it.
    const storageRoot = join(root, 'pipeline', 'var', 'demo', new Date().toISOString().replace(/[:.]/g, '-'));
    writeFileSync(configFile, toy.toyConfig({ apiUrl: baseUrl, storageUrl: `http://127.0.0.1:${storagePort}`, storageRoot, workDir: join(dir, 'work'), repoDir: repo, holdoff: '5s', pollInterval: '1s' }));
    say(`config: ${configFile}`);
    // The event services subscribe first: a durable subscriber's first subscription starts at the
    // newest event, so a checkout created before it exists would never reach it (docs/pipeline.md).
    const launch = (name) => start(name, [cli, name, '--config', configFile, '--quiet'], { MAESTRO_TOKEN: token });
    const services = Object.fromEntries(SERVICES.filter((name) => name !== 'trigger').map((name) => [name, launch(name)]));
    for (const name of ['tarball', 'scheduler', 'runtime-shell', 'report']) {
      await until(`${name} to subscribe`, async () => services[name].lines.some((l) => l.includes('"subscription.subscribed"')));
    }
    services.trigger = launch('trigger');

    const written = () => services.report.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).filter((r) => r.action === 'report.written');
    await until('the first checkout', async () => services.trigger.lines.some((l) => l.includes('"checkout.created"')));
    toy.addFailingCommit(repo);
    say('added commit B, which makes unit/math/div fail');
    await until('both reports', async () => written().length >= 2, 1000);

    for (const r of written()) {
      process.stdout.write(`\n${'='.repeat(78)}\n${readFileSync(r.file, 'utf8')}`);
    }
    process.stdout.write(`${'='.repeat(78)}\n\n`);
    say(`the links in these reports point to the demo's artifact server (http://127.0.0.1:${storagePort}/), which stops now;`);
    say(`the artifacts and reports stay on disk: http://127.0.0.1:${storagePort}/<path> is the file ${storageRoot}/<path>`);
    say('both reports written; stopping');
    await stopAll();
    return 0;
  } catch (err) {
    say(`failed: ${err.message}`);
    for (const { name, lines } of children) {
      process.stderr.write(`--- last lines of ${name} ---\n${lines.slice(-15).join('\n')}\n`);
    }
    await stopAll();
    return 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
