#!/usr/bin/env node
// The CLI's pack test. Run after the build (`npm run build -w sdk && npm run build -w cli`):
// 1. `npm pack` the SDK and the CLI (the CLI depends on the SDK, which is not on a registry yet);
//    check the CLI's file list (dist, README, CHANGELOG, LICENSE, package.json; no tests, no fixtures).
// 2. Install both tarballs into an empty folder.
// 3. There: `npx maestro --help` and `npx maestro --version` work, `maestro submit --dry-run`
//    parses a KTAP file, and `maestro whoami` against a local stub server reaches it (exit 0).
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..');
const sdk = join(cli, '..', 'sdk');
const problems = [];

function run(cmd, args, cwd, { env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.trim().split('\n').slice(-5).join(' | ')}`))));
  });
}

async function step(name, fn) {
  try {
    await fn();
    console.log(`cli-pack-test: ok   ${name}`);
  } catch (error) {
    problems.push(`${name}: ${error.message}`);
    console.log(`cli-pack-test: FAIL ${name}: ${error.message}`);
  }
}

// A stub server: GET /latest/whoami answers a user; everything else 404 (the SDK then uses KernelCI mode).
const stub = createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  if (req.url === '/latest/whoami' && req.headers.authorization === 'Bearer stub-token') {
    res.end(JSON.stringify({ id: '65a3982ee98651d0fe82b010', email: 'lab@example.org', username: 'lab', is_active: true, is_superuser: false, is_verified: true, groups: [] }));
  } else {
    res.statusCode = 404;
    res.end(JSON.stringify({ detail: 'Not Found' }));
  }
});
await new Promise((resolve) => stub.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${stub.address().port}`;
const work = await mkdtemp(join(tmpdir(), 'maestro-cli-pack-'));

try {
  const tarballs = [];
  await step('npm pack the SDK and the CLI; the CLI ships dist, README, CHANGELOG, LICENSE and package.json only', async () => {
    const [sdkInfo] = JSON.parse(await run('npm', ['pack', '--json', '--pack-destination', work], sdk));
    const [cliInfo] = JSON.parse(await run('npm', ['pack', '--json', '--pack-destination', work], cli));
    tarballs.push(join(work, sdkInfo.filename), join(work, cliInfo.filename));
    const files = cliInfo.files.map((f) => f.path);
    const stray = files.filter((f) => !/^(dist\/|README\.md$|CHANGELOG\.md$|LICENSE$|package\.json$)/.test(f));
    if (stray.length) throw new Error(`unexpected files in the package: ${stray.join(', ')}`);
    if (files.some((f) => /\.spec\.|testing\.js|fixtures\//.test(f))) throw new Error('test files were packed');
    for (const required of ['dist/main.js', 'README.md', 'CHANGELOG.md', 'LICENSE']) if (!files.includes(required)) throw new Error(`missing ${required}`);
  });

  const project = join(work, 'empty');
  await mkdir(project);
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'empty', private: true, version: '1.0.0' }));
  await step('install the tarballs into an empty folder', () => run('npm', ['install', '--prefer-offline', '--no-package-lock', ...tarballs], project));

  const env = { XDG_CONFIG_HOME: join(work, 'config'), MAESTRO_URL: '', MAESTRO_TOKEN: '', NO_COLOR: '1' };
  await step('npx maestro --help', async () => {
    const out = await run('npx', ['--no-install', 'maestro', '--help'], project, { env });
    for (const word of ['submit', 'compare', 'watch', 'Examples:']) if (!out.includes(word)) throw new Error(`--help lacks '${word}'`);
  });
  await step('npx maestro --version', async () => {
    const out = await run('npx', ['--no-install', 'maestro', '--version'], project, { env });
    if (!/^\d+\.\d+\.\d+/.test(out.trim())) throw new Error(`unexpected version '${out.trim()}'`);
  });
  await step('maestro submit --dry-run parses a KTAP file', async () => {
    await writeFile(join(project, 'results.ktap'), 'KTAP version 1\n1..2\nok 1 boot\nnot ok 2 dmesg # SKIP no console\n');
    const out = await run('npx', ['--no-install', 'maestro', 'submit', '65a3982ee98651d0fe82b010', 'results.ktap', '--dry-run', '--json'], project, { env });
    const parsed = JSON.parse(out);
    if (parsed.counts.pass !== 1 || parsed.counts.skip !== 1) throw new Error(`unexpected counts ${JSON.stringify(parsed.counts)}`);
  });
  await step('maestro whoami reaches a server through the installed SDK', async () => {
    const out = await run('npx', ['--no-install', 'maestro', 'whoami'], project, { env: { ...env, MAESTRO_URL: baseUrl, MAESTRO_TOKEN: 'stub-token' } });
    if (!out.startsWith('lab <lab@example.org>')) throw new Error(`unexpected output '${out.trim()}'`);
  });
} finally {
  stub.close();
  if (!process.env.KEEP_PACK_TEST) await rm(work, { recursive: true, force: true });
}

if (problems.length) {
  console.error(`cli-pack-test: ${problems.length} problem(s)`);
  process.exitCode = 1;
} else {
  console.log('cli-pack-test: all checks passed');
}
