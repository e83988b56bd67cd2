#!/usr/bin/env node
// Builds the dual package (SDK A12.1): dist/esm (ES modules) and dist/cjs (CommonJS), each with its own
// declarations, by running tsc twice over the same sources. Sources use explicit `.js` extensions on
// relative imports, which are right for both outputs, so no specifier rewriting is needed. Each output
// folder gets a package.json that sets its module format, so Node (and TypeScript's node16/nodenext
// resolution) read dist/esm/*.js and *.d.ts as ESM and dist/cjs/* as CommonJS.
//
// After compiling, the script checks what it built: every file named in the package's `exports` map
// exists, no emitted file imports a `node:` module (the core must run in browsers, A12.3), and each
// entry point loads through both `import()` and `require()`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

const targets = [
  { config: 'tsconfig.esm.json', outDir: 'dist/esm', type: 'module' },
  { config: 'tsconfig.cjs.json', outDir: 'dist/cjs', type: 'commonjs' },
];

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, ...args], { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`tsc ${args.join(' ')} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

function exportTargets(exportsMap) {
  const files = [];
  const visit = (value) => {
    if (typeof value === 'string') files.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(exportsMap);
  return files;
}

async function main() {
  await rm(join(root, 'dist'), { recursive: true, force: true });

  // Both compilations read the same sources and write to different folders, so they run in parallel.
  await Promise.all(targets.map((t) => run(['-p', t.config])));

  for (const t of targets) {
    await mkdir(join(root, t.outDir), { recursive: true });
    await writeFile(join(root, t.outDir, 'package.json'), `${JSON.stringify({ type: t.type }, null, 2)}\n`);
  }

  const problems = [];
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  for (const file of exportTargets(pkg.exports)) {
    if (!existsSync(join(root, file))) problems.push(`exports names ${file}, which the build did not produce`);
  }
  for (const t of targets) {
    for await (const file of walk(join(root, t.outDir))) {
      if (!/\.(js|d\.ts)$/.test(file)) continue;
      const text = await readFile(file, 'utf8');
      if (/(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"]node:/.test(text)) {
        problems.push(`${relative(root, file)} imports a node: module; the core must stay runtime-neutral`);
      }
      if (/\.spec\.(js|d\.ts)$/.test(file)) problems.push(`${relative(root, file)}: a test file was emitted`);
    }
  }
  if (problems.length === 0) {
    for (const [subpath, conditions] of Object.entries(pkg.exports)) {
      if (typeof conditions === 'string') continue;
      const esm = join(root, conditions.import.default);
      const cjs = join(root, conditions.require.default);
      try {
        await import(pathToFileURL(esm).href);
      } catch (error) {
        problems.push(`import('${subpath}') failed: ${error.message}`);
      }
      try {
        require(cjs);
      } catch (error) {
        problems.push(`require('${subpath}') failed: ${error.message}`);
      }
    }
  }
  if (problems.length > 0) {
    for (const p of problems) console.error(`build: ${p}`);
    process.exitCode = 1;
    return;
  }
  console.log(`build: wrote ${targets.map((t) => t.outDir).join(' and ')}`);
}

main().catch((error) => {
  console.error(`build: ${error.message}`);
  process.exitCode = 1;
});
