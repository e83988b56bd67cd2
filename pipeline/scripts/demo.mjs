#!/usr/bin/env node
// `npm run demo`: the quickest way to see Maestro work. Starts an API on the embedded default
// (in-memory PGlite), creates a pipeline user and API token through the SDK, makes a toy git
// repository, runs every pipeline service as its own process and a local SMTP server, and walks
// three commits: A (all pass), B (unit/math/div fails: a regression node), C (fixed: the
// regression becomes inactive). The first run of every `smoke` job fails with an injected
// infrastructure error and is retried once. Prints the reports, the regression and the paths of
// the emails the SMTP server received, and exits 0. `npm run demo -- --bisect` also bisects the
// breakage through pipeline-api with the calls kci-dev bisect makes.
// Needs the build (`npm run build`); `npm run demo` does it.
import { execFileSync, spawn } from 'node:child_process';
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
const { SMTPServer } = require('smtp-server');
const BISECT = process.argv.includes('--bisect');
const SERVICES = ['storage', 'trigger', 'tarball', 'scheduler', 'runtime-shell', 'report', 'regression-tracker', 'job-retry', 'email', ...(BISECT ? ['pipeline-api'] : [])];
const EVENT_SERVICES = ['tarball', 'scheduler', 'runtime-shell', 'report', 'regression-tracker', 'job-retry', 'email'];
const SHOWN = ['checkout.created', 'checkout.available', 'job.created', 'results.submitted', 'report.written', 'regression.created', 'regression.fixed', 'job.retried', 'job.injected-failure', 'email.sent', 'api.checkout'];
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
      if (SHOWN.includes(r.action)) {
        const extra = r.action === 'results.submitted' ? ` ${r.job}: ${r.result}` : r.job ? ` ${r.job}` : r.path ? ` ${r.path}` : r.list ? ` ${r.list}` : '';
        say(`${r.service.padEnd(13)} ${r.action}${extra} ${r.node ?? ''}`);
      }
      if (r.level === 'error' || (r.level === 'warn' && r.action !== 'job.injected-failure')) say(`${r.service} ${r.level}: ${r.msg} ${r.error ? JSON.stringify(r.error) : ''}`);
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

    // A local SMTP server: every message it receives is kept as an .eml file (outside the demo's
    // temporary directory, so the printed paths stay readable).
    const mailDir = mkdtempSync(join(tmpdir(), 'maestro-demo-mail-'));
    const mails = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks = [];
        stream.on('data', (c) => chunks.push(c));
        stream.on('end', () => {
          const file = join(mailDir, `${String(mails.length + 1).padStart(2, '0')}.eml`);
          writeFileSync(file, Buffer.concat(chunks));
          mails.push({ file, to: session.envelope.rcptTo.map((r) => r.address) });
          callback();
        });
      },
    });
    await new Promise((ok) => smtp.listen(0, '127.0.0.1', ok));
    const smtpPort = smtp.server.address().port;
    say(`SMTP server on 127.0.0.1:${smtpPort}; received mail goes to ${mailDir}`);

    const repo = join(dir, 'toy');
    const commitA = toy.createToyRepo(repo);
    say(`toy repository at ${repo}: commit A tagged v0.1`);
    const storagePort = await freePort();
    const apiPort2 = await freePort();
    const pipelineApiUrl = `http://127.0.0.1:${apiPort2}`;
    const configFile = join(dir, 'pipeline.yaml');
    // Kept after the demo (the rest of its temporary folder is removed): the reports' links point
    // to the artifact server, which stops with the demo, so the files must outlive it.
    const storageRoot = join(root, 'pipeline', 'var', 'demo', new Date().toISOString().replace(/[:.]/g, '-'));
    const extra = `job_retry: { max_retries: 1 }
email:
  from: "Maestro demo <maestro@example.invalid>"
  smtp: { host: 127.0.0.1, port: ${smtpPort} }
  wait_for_regressions: 30s
  lists:
    - { name: toy-devs, to: [toy-devs@example.invalid], tree: toy, branch: main }
${BISECT ? `pipeline_api: { url: ${pipelineApiUrl}, allow: { checkout: { users: [admin] }, jobretry: { users: [admin] }, patchset: { users: [admin] } } }\n` : ''}`;
    writeFileSync(configFile, toy.toyConfig({ apiUrl: baseUrl, storageUrl: `http://127.0.0.1:${storagePort}`, storageRoot, workDir: join(dir, 'work'), repoDir: repo, holdoff: '5s', pollInterval: '1s' }) + extra);
    say(`config: ${configFile}`);
    // The event services subscribe first: a durable subscriber's first subscription starts at the
    // newest event, so a checkout created before it exists would never reach it (docs/pipeline.md).
    const env = { MAESTRO_TOKEN: token, PIPELINE_INJECT_INFRA_FAILURE: 'smoke' };
    const launch = (name) => start(name, [cli, name, '--config', configFile, '--quiet'], env);
    const services = Object.fromEntries(SERVICES.filter((name) => name !== 'trigger').map((name) => [name, launch(name)]));
    for (const name of EVENT_SERVICES) {
      await until(`${name} to subscribe`, async () => services[name].lines.some((l) => l.includes('"subscription.subscribed"')));
    }
    services.trigger = launch('trigger');

    const pipelineClient = sdk.createClient({ baseUrl, token });
    const find = (filter) => pipelineClient.nodes.find(filter).toArray({ max: 1000 });
    const records = (name) => services[name].lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    const written = () => records('report').filter((r) => r.action === 'report.written');
    const showRegression = (r) =>
      process.stdout.write(
        `${JSON.stringify({ id: r.id, kind: r.kind, name: r.name, path: r.path, state: r.state, result: r.result, data: r.data }, null, 2)}\n`,
      );

    await until('the first checkout', async () => services.trigger.lines.some((l) => l.includes('"checkout.created"')));
    const neutral = BISECT ? [toy.addNeutralCommit(repo, 'one'), toy.addNeutralCommit(repo, 'two')] : [];
    const commitB = toy.addFailingCommit(repo);
    say(`added ${neutral.length ? 'two neutral commits and ' : ''}commit B, which makes unit/math/div fail`);
    const [regression] = await until('the regression of commit B', async () => {
      const found = await find({ kind: 'regression' });
      return found.length ? found : undefined;
    }, 1000);
    say('regression tracker opened a regression (active: result fail):');
    showRegression(regression);
    await until(`the report of commit B`, async () => written().length >= 2 + neutral.length, 1000);
    toy.addFixCommit(repo);
    say('added commit C, which fixes unit/math/div');
    await until('all reports and emails', async () => written().length >= 3 + neutral.length && mails.length >= 3 + neutral.length, 1000);
    const fixed = await until('the regression to become inactive', async () => (await find({ kind: 'regression', result: 'pass' }))[0], 1000);

    for (const r of written()) {
      process.stdout.write(`\n${'='.repeat(78)}\n${readFileSync(r.file, 'utf8')}`);
    }
    process.stdout.write(`${'='.repeat(78)}\n\n`);
    say('the regression after commit C (inactive: result pass, C\'s run in node_sequence):');
    showRegression(fixed);
    const smokes = await find({ kind: 'job', name: 'smoke' });
    say('job retries of smoke (the first run of each fails with an injected infrastructure error):');
    for (const s of smokes.sort((a, b) => (a.created < b.created ? -1 : 1))) say(`  ${s.id} retry_counter=${s.retry_counter} ${s.result}${s.data?.error_code ? ` (${s.data.error_code})` : ''}`);
    say(`emails received by the SMTP server (${mails.length}):`);
    for (const m of mails) say(`  ${m.file} to ${m.to.join(', ')}`);

    if (BISECT) {
      say(`bisecting unit/math/div between A and B through pipeline-api at ${pipelineApiUrl} (the calls of kci-dev bisect)`);
      const work = join(dir, 'bisect');
      execFileSync('git', ['clone', '--quiet', repo, work]);
      const git = (...args) => execFileSync('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.invalid', ...args], { cwd: work, encoding: 'utf8' });
      git('bisect', 'start');
      git('bisect', 'good', commitA);
      let out = git('bisect', 'bad', commitB);
      while (!out.includes('is the first bad commit')) {
        const commit = git('rev-parse', 'HEAD').trim();
        const res = await fetch(`${pipelineApiUrl}/api/checkout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8', authorization: access_token },
          body: JSON.stringify({ url: `file://${repo}`, branch: 'main', commit, jobfilter: ['kbuild-toy', 'unit'] }),
        });
        const answer = await res.json();
        if (res.status !== 200) throw new Error(`POST /api/checkout: ${res.status} ${answer.message}`);
        const result = await until(`div at ${commit.slice(0, 7)}`, async () => (await find({ treeid: answer.node.treeid })).find((n) => n.name === 'div' && n.state === 'done')?.result);
        say(`  ${commit.slice(0, 12)}: div ${result} -> ${result === 'pass' ? 'good' : 'bad'}`);
        out = git('bisect', result === 'pass' ? 'good' : 'bad');
      }
      say(`  ${out.split('\n')[0]}`);
    }
    // The services send their last telemetry batch when they stop; then the API's stats are complete.
    await stopEach(children.filter((c) => c.name !== 'api'));
    const stats = await pipelineClient.telemetry.stats({ groupBy: ['kind'] });
    const count = (row) => `${row.kind} ${row.total}${row.kind === 'job_result' ? ` (pass ${row.pass}, fail ${row.fail}, incomplete ${row.incomplete}, infra_error ${row.infra_error})` : ''}`;
    say(`telemetry (GET /telemetry/stats?group_by=kind): ${stats.map(count).join('; ') || 'no events'}`);
    await pipelineClient.close();
    await new Promise((ok) => smtp.close(ok));
    say(`the links in the reports point to the demo's artifact server (http://127.0.0.1:${storagePort}/), which stops now;`);
    say(`the artifacts and reports stay on disk: http://127.0.0.1:${storagePort}/<path> is the file ${storageRoot}/<path>`);
    say('done; stopping');
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
