// Builds the API only when its build is stale, so `npm start` is a restart, not a rebuild.
//
//   node scripts/api-build.mjs build [--force]  nest build, unless api/dist is current
//   node scripts/api-build.mjs prepare          the same, at `npm ci`/`npm install` (skipped when the
//                                               build tools are absent: `npm ci --omit=dev`), plus the
//                                               SDK and the web console when they were never built, so
//                                               `npm ci && npm start` also serves the console
//   node scripts/api-build.mjs run <file.js>    build when stale, then run <file.js> in this process
//
// "Current" means api/dist/.build-stamp holds the hash of every build input: the API sources
// (tests excluded), the TypeScript and Nest configurations and package-lock.json. docs/development.md
// explains the scripts that use it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, 'api/dist/.build-stamp');
const CONFIG_INPUTS = ['api/tsconfig.json', 'api/tsconfig.build.json', 'tsconfig.base.json', 'nest-cli.json', 'package-lock.json'];

function sourceFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) files.push(path);
  }
  return files;
}

function inputsHash() {
  const hash = createHash('sha256');
  const files = [...sourceFiles(join(root, 'api/src')).sort(), ...CONFIG_INPUTS.map((file) => join(root, file))];
  for (const file of files) {
    if (!existsSync(file)) continue;
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function isCurrent(hash) {
  return existsSync(join(root, 'api/dist/main.js')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === hash;
}

function build({ force = false } = {}) {
  const hash = inputsHash();
  if (!force && isCurrent(hash)) return false;
  const nest = join(root, 'node_modules/@nestjs/cli/bin/nest.js');
  const started = Date.now();
  const result = spawnSync(process.execPath, [nest, 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stampFile, `${hash}\n`);
  console.error(`api: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

/**
 * The web console (web/) imports the built SDK. Built here only when it never was: a developer who
 * changes either rebuilds with `npm run build`; the API serves whatever web/dist holds.
 */
function buildConsoleOnce() {
  if (!existsSync(join(root, 'web/package.json')) || existsSync(join(root, 'web/dist/index.html'))) return;
  if (!existsSync(join(root, 'node_modules/vite'))) return;
  const npm = process.env.npm_execpath;
  const run = (workspace) =>
    npm
      ? spawnSync(process.execPath, [npm, 'run', 'build', '-w', workspace], { cwd: root, stdio: 'inherit' })
      : spawnSync('npm', ['run', 'build', '-w', workspace], { cwd: root, stdio: 'inherit' });
  const started = Date.now();
  for (const workspace of existsSync(join(root, 'sdk/dist/esm/index.js')) ? ['web'] : ['sdk', 'web']) {
    const result = run(workspace);
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
  console.error(`web: console built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const [command, ...args] = process.argv.slice(2);
if (command === 'build') {
  if (!build({ force: args.includes('--force') })) console.error('api: api/dist is current, not rebuilt');
} else if (command === 'prepare') {
  // A production install has no build tools: it runs a build made elsewhere.
  if (existsSync(join(root, 'node_modules/@nestjs/cli/bin/nest.js')) && existsSync(join(root, 'api/src'))) {
    build();
    buildConsoleOnce();
  }
} else if (command === 'run' && args[0]) {
  build();
  // The script sees the argv it would see when run as `node <file.js> …`.
  const file = resolve(root, args[0]);
  process.argv = [process.argv[0], file, ...args.slice(1)];
  await import(pathToFileURL(file).href);
} else {
  console.error('usage: node scripts/api-build.mjs build [--force] | prepare | run <file.js>');
  process.exit(2);
}
