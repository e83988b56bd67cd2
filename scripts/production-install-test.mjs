// Proves the Dockerfile's recipe without a Docker engine, and the production install with it:
// every stage runs in its own clean folder, with the Dockerfile's own COPY (honouring
// .dockerignore), ENV and RUN instructions in order, so the build stage runs `npm ci` and the
// build, and the runtime stage `npm ci --omit=dev` plus the built output copied from the build
// stage. Then the runtime stage's CMD is started as the image would start it, and must:
//   - answer GET /healthz and /readyz (a runtime dependency declared as a dev one fails here),
//   - pass the image's own HEALTHCHECK command,
//   - stop with status 0 on SIGTERM (the drain).
// It also lists the runtime dependencies of api/package.json that the built API never imports
// (the reverse mistake: a build-only package shipped to production).
//
// What it cannot prove: the base image, users and file ownership, i.e. that `docker build`
// itself succeeds. docs/deployment.md says so. Run: `node scripts/production-install-test.mjs`
// (CI: .ci/run). KEEP=1 keeps the folders.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerfileParser } from 'dockerfile-ast';
import ignore from 'ignore';

/** Packages only the build and the tests use; none may be installed by `npm ci --omit=dev`. */
const DEV_TOOLS = ['@nestjs/cli', 'jest', 'eslint', '@swc/core', 'esbuild', 'openapi-typescript', 'mongodb-memory-server', 'prettier', 'fast-check'];

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'maestro-image-recipe-'));
const started = Date.now();
const log = (message) => console.log(`[production-install ${((Date.now() - started) / 1000).toFixed(1)} s] ${message}`);

function fail(message) {
  console.error(`production-install: FAILED: ${message}`);
  process.exitCode = 1;
}

/** The build context as Docker sends it: every file below the root minus .dockerignore. */
function contextFiles() {
  const rules = ignore().add(readFileSync(join(root, '.dockerignore'), 'utf8'));
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(root, path).split('\\').join('/');
      if (rules.ignores(entry.isDirectory() ? `${rel}/` : rel)) continue;
      if (entry.isDirectory()) walk(path);
      else files.push(rel);
    }
  };
  walk(root);
  return files;
}

/** Maps a path inside a stage's image to the stage's folder (its WORKDIR is the folder itself). */
function inStage(stage, path) {
  const absolute = posix.isAbsolute(path) ? path : posix.join(stage.workdir, path);
  return join(stage.dir, posix.relative(stage.workdir, absolute));
}

function copy(stage, instruction, stages, context) {
  const flags = Object.fromEntries(instruction.getFlags().map((flag) => [flag.getName(), flag.getValue()]));
  const args = instruction.getArguments().map((arg) => arg.getValue());
  const destination = args.pop();
  for (const source of args) {
    if (flags.from) {
      const from = stages.get(flags.from);
      if (!from) throw new Error(`COPY --from=${flags.from}: no such stage`);
      const target = destination.endsWith('/') ? join(inStage(stage, destination), posix.basename(source)) : inStage(stage, destination);
      cpSync(inStage(from, source), target, { recursive: true });
    } else if (source === '.') {
      for (const file of context) cpSync(join(root, file), join(inStage(stage, destination), file), { recursive: true });
    } else {
      if (!context.includes(source)) throw new Error(`COPY ${source}: not in the build context (.dockerignore?)`);
      const target = destination.endsWith('/') ? join(inStage(stage, destination), posix.basename(source)) : inStage(stage, destination);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(root, source), target);
    }
  }
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Runtime dependencies of the API that nothing in api/dist imports. */
function unusedRuntimeDependencies(stageDir) {
  const declared = Object.keys(JSON.parse(readFileSync(join(stageDir, 'api/package.json'), 'utf8')).dependencies ?? {});
  let code = '';
  const read = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) read(path);
      else if (entry.name.endsWith('.js')) code += readFileSync(path, 'utf8');
    }
  };
  read(join(stageDir, 'api/dist'));
  return declared.filter((name) => !new RegExp(`(require\\(|import\\()["']${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(/[^"']*)?["']`).test(code));
}

async function main() {
  const parsed = DockerfileParser.parse(readFileSync(join(root, 'Dockerfile'), 'utf8'));
  const context = contextFiles();
  log(`build context: ${context.length} files; stages in ${work}`);
  const stages = new Map();
  let stage;
  // Each RUN sees the npm cache of this machine (faster, same commands); nothing else of it.
  const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME ?? tmpdir(), npm_config_prefer_offline: 'true' };
  for (const instruction of parsed.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      const name = instruction.getBuildStage() ?? `stage${stages.size}`;
      const parent = stages.get(instruction.getImageName());
      stage = { name, dir: join(work, name), workdir: parent?.workdir ?? '/', env: { ...(parent?.env ?? baseEnv) }, cmd: null, healthcheck: null };
      // A stage built FROM an earlier one starts with that stage's files.
      if (parent) cpSync(parent.dir, stage.dir, { recursive: true });
      else mkdirSync(stage.dir, { recursive: true });
      stages.set(name, stage);
    } else if (keyword === 'WORKDIR') {
      stage.workdir = instruction.getArgumentsContent();
    } else if (keyword === 'ENV') {
      for (const property of instruction.getProperties()) stage.env[property.getName()] = property.getValue();
    } else if (keyword === 'COPY') {
      copy(stage, instruction, stages, context);
    } else if (keyword === 'RUN') {
      const command = instruction.getArgumentsContent();
      log(`${stage.name}: RUN ${command}`);
      const result = spawnSync('sh', ['-c', command], { cwd: stage.dir, env: stage.env, stdio: ['ignore', 'inherit', 'inherit'] });
      if (result.status !== 0) throw new Error(`${stage.name}: RUN ${command} exited with ${result.status}`);
    } else if (keyword === 'CMD') {
      stage.cmd = JSON.parse(instruction.getArgumentsContent());
    } else if (keyword === 'HEALTHCHECK') {
      stage.healthcheck = JSON.parse(instruction.getArgumentsContent().replace(/^(--\S+\s+)*CMD\s+/, ''));
    }
  }
  const runtime = stage;
  if (!runtime.cmd || !runtime.healthcheck) throw new Error('the last stage needs CMD and HEALTHCHECK in exec form');
  log(`${runtime.name}: node_modules holds ${readdirSync(join(runtime.dir, 'node_modules')).length} entries`);
  // Build and test tools must not reach production (a dev tool declared as a runtime dependency).
  const devTools = DEV_TOOLS.filter((name) => existsSync(join(runtime.dir, 'node_modules', name)));
  if (devTools.length > 0) fail(`the runtime stage installed build or test tools: ${devTools.join(', ')}`);
  if (existsSync(join(runtime.dir, 'api/src'))) fail('the runtime stage has api/src: only built output belongs there');
  // Informational: packages loaded by a library rather than by our code (peers such as rxjs,
  // reflect-metadata, @fastify/static for Swagger UI) are listed too; knip is the gate for unused ones.
  const unused = unusedRuntimeDependencies(runtime.dir);
  if (unused.length > 0) log(`note: api/dist imports none of these runtime dependencies (peers of libraries, or unused): ${unused.join(', ')}`);

  // Start the image's CMD as the container runtime would: the stage's ENV plus the deployment's.
  const port = await freePort();
  const env = { ...runtime.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: 'pglite:memory', SECRET_KEY: 'production-install-test', LOG_LEVEL: 'warn' };
  log(`${runtime.name}: CMD ${runtime.cmd.join(' ')} (port ${port})`);
  const child = spawn(runtime.cmd[0] === 'node' ? process.execPath : runtime.cmd[0], runtime.cmd.slice(1), { cwd: runtime.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  let ready = false;
  while (!ready && Date.now() < deadline && child.exitCode === null) {
    ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    if (!ready) await new Promise((r) => setTimeout(r, 200));
  }
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`the runtime stage's API did not become ready within 30 s:\n${output}`);
  }
  log(`ready after ${((30_000 - (deadline - Date.now())) / 1000).toFixed(1)} s`);
  const live = await fetch(`${base}/healthz`);
  if (live.status !== 200) fail(`/healthz answered ${live.status}`);
  const hello = await (await fetch(`${base}/`)).json();
  if (hello.message !== 'KernelCI API') fail(`GET / answered ${JSON.stringify(hello)}`);
  const docs = await fetch(`${base}/latest/openapi.json`);
  if (docs.status !== 200) fail(`/latest/openapi.json answered ${docs.status} (Swagger UI assets missing?)`);

  const check = spawnSync(runtime.healthcheck[0] === 'node' ? process.execPath : runtime.healthcheck[0], runtime.healthcheck.slice(1), { cwd: runtime.dir, env, timeout: 5_000 });
  if (check.status !== 0) fail(`the image's HEALTHCHECK command exited with ${check.status}: ${check.stderr}`);
  else log('HEALTHCHECK command: ok');

  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const { code, signal } = await exited;
  clearTimeout(timer);
  if (code !== 0) fail(`SIGTERM: exited with ${code ?? signal} instead of 0:\n${output}`);
  else log('SIGTERM: drained and exited 0');
}

try {
  await main();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  if (!process.env.KEEP) rmSync(work, { recursive: true, force: true });
  else log(`kept ${work}`);
}
if (process.exitCode) process.exit(process.exitCode);
log(`passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
