#!/usr/bin/env node
// The SDK's pack test (SDK A12.5) and bundle checks (A12.3). Run after the build:
// `npm run build -w sdk && npm run test:pack -w sdk`.
//
// 1. `npm pack`, then check the file list against A12.2.
// 2. Install the tarball into an empty temporary project.
// 3. There: import it from .mjs and require it from .cjs, each making one real call to a local stub
//    server; import both subpaths; type-check a .ts consumer under moduleResolution bundler, node16
//    and nodenext, and once more with strict: false.
// 4. `attw --pack`.
// 5. esbuild --platform=browser: a file importing only createClient and calling nodes.get bundles
//    without polyfills, contains no socket.io-client code and stays within the recorded budget; the
//    ./events entry is bundled too and its result reported.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const sdk = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const budget = JSON.parse(await readFile(join(sdk, 'bundle-budget.json'), 'utf8'));
const problems = [];
const NODE_ID = '65a3982ee98651d0fe82b010';

function run(cmd, args, cwd, { capture = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } });
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
  });
}

async function step(name, fn) {
  try {
    await fn();
    console.log(`pack-test: ok   ${name}`);
  } catch (error) {
    problems.push(`${name}: ${error.message}`);
    console.log(`pack-test: FAIL ${name}: ${error.message}`);
  }
}

// A stub server: one node, 404 elsewhere (so `compat: "auto"` picks KernelCI mode).
const stub = createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  if (req.url === `/latest/node/${NODE_ID}`) {
    res.end(JSON.stringify({ id: NODE_ID, kind: 'checkout', name: 'stub', path: ['stub'], state: 'done' }));
  } else {
    res.statusCode = 404;
    res.end(JSON.stringify({ detail: 'Not Found' }));
  }
});
await new Promise((resolve) => stub.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${stub.address().port}`;
const work = await mkdtemp(join(tmpdir(), 'maestro-sdk-pack-'));

try {
  let tarball;
  await step('npm pack file list (A12.2)', async () => {
    // `prepack` builds first and prints its own lines: the JSON report starts at the first `[`.
    const out = await run('npm', ['pack', '--json', '--pack-destination', work], sdk, { capture: true });
    const [info] = JSON.parse(out.slice(out.search(/^\[/m)));
    tarball = join(work, info.filename);
    const files = info.files.map((f) => f.path);
    const stray = files.filter((f) => !/^(dist\/|README\.md$|CHANGELOG\.md$|LICENSE$|package\.json$)/.test(f));
    if (stray.length) throw new Error(`unexpected files in the package: ${stray.join(', ')}`);
    for (const required of ['README.md', 'CHANGELOG.md', 'LICENSE', 'dist/esm/index.js', 'dist/cjs/index.js', 'dist/esm/events/index.js', 'dist/esm/fake/index.js', 'dist/cjs/fake/index.js']) {
      if (!files.includes(required)) throw new Error(`missing ${required}`);
    }
    // `@maestro-ci/sdk/testing` ships (from dist/*/fake/); the SDK's own test fixtures do not.
    if (files.some((f) => /\.spec\.|testing\//.test(f))) throw new Error('test files were packed');
  });

  const project = join(work, 'consumer');
  await mkdir(project);
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
  await step('install the tarball into an empty project', () => run('npm', ['install', '--prefer-offline', '--no-package-lock', tarball], project));

  await writeFile(
    join(project, 'esm.mjs'),
    `import { createClient, isNotFoundError } from '@maestro-ci/sdk';
import * as events from '@maestro-ci/sdk/events';
import '@maestro-ci/sdk/schema';
const maestro = createClient({ baseUrl: ${JSON.stringify(baseUrl)} });
const node = await maestro.nodes.get(${JSON.stringify(NODE_ID)});
if (node.name !== 'stub' || typeof events.parseCloudEvent !== 'function' || typeof isNotFoundError !== 'function') process.exit(1);
const { FakeApi } = await import('@maestro-ci/sdk/testing');
const api = new FakeApi('maestro');
const fake = createClient({ baseUrl: 'http://fake', fetch: api.fetch, token: 't' });
const made = await fake.nodes.create({ kind: 'checkout', name: 'c', path: ['c'] });
if ((await fake.nodes.get(made.id)).name !== 'c') process.exit(1);
console.log('esm ok');
`,
  );
  await writeFile(
    join(project, 'cjs.cjs'),
    `const { createClient } = require('@maestro-ci/sdk');
const events = require('@maestro-ci/sdk/events');
require('@maestro-ci/sdk/schema');
createClient({ baseUrl: ${JSON.stringify(baseUrl)} }).nodes.get(${JSON.stringify(NODE_ID)}).then((node) => {
  if (node.name !== 'stub' || typeof events.parseCloudEvent !== 'function') process.exit(1);
  console.log('cjs ok');
}, (e) => { console.error(e); process.exit(1); });
`,
  );
  await step('ESM consumer makes a real call', () => run(process.execPath, ['esm.mjs'], project));
  await step('CJS consumer makes a real call', () => run(process.execPath, ['cjs.cjs'], project));

  await writeFile(
    join(project, 'consumer.ts'),
    `import { createClient, resultTree, type Node, type MaestroClient } from '@maestro-ci/sdk';
import type { Subscription, Delivery } from '@maestro-ci/sdk/events';
import type { paths } from '@maestro-ci/sdk/schema';
import { FakeApi } from '@maestro-ci/sdk/testing';
export const api: FakeApi = new FakeApi('kernelci');
const maestro: MaestroClient = createClient({ baseUrl: 'http://127.0.0.1:8001' });
export async function use(): Promise<string> {
  const node: Node = await maestro.nodes.get('x');
  const sub: Subscription = maestro.events.subscribe({ filter: { kind: 'kbuild' } });
  for await (const d of sub) { const x: Delivery = d; return x.payload.id ?? node.id; }
  resultTree().suite('boot', (s) => s.case('login', 'pass'));
  const p: keyof paths = '/nodes';
  return p;
}
`,
  );
  for (const [name, options] of [
    ['bundler', { module: 'esnext', moduleResolution: 'bundler', strict: true }],
    ['node16', { module: 'node16', moduleResolution: 'node16', strict: true }],
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext', strict: true }],
    ['strict false', { module: 'nodenext', moduleResolution: 'nodenext', strict: false }],
  ]) {
    const file = `tsconfig.${name.replace(' ', '-')}.json`;
    await writeFile(join(project, file), JSON.stringify({ compilerOptions: { ...options, target: 'es2022', lib: ['es2022', 'dom'], noEmit: true, skipLibCheck: false, types: [] }, files: ['consumer.ts'] }));
    await step(`tsc --noEmit (${name})`, () => run(process.execPath, [tsc, '-p', file], project));
  }

  await step('attw --pack', () => run(join(sdk, '..', 'node_modules', '.bin', 'attw'), ['--pack', '.', '--profile', 'node16'], sdk)); // engines.node >= 20: node10 resolution (no exports map) is out of scope

  const esbuild = await import('esbuild');
  // cloudevents' index (which its event class imports) reaches Node's `events`, `http` and `https`
  // through its transports, which the SDK never calls. Browsers alias them (README, "Browsers"); the
  // checks do the same with empty stand-ins, and verify the core's entry chunk never reaches them.
  const nodeStandIns = {
    name: 'node-stand-ins',
    setup(build) {
      build.onResolve({ filter: /^(events|http|https)$/ }, (args) => ({ path: args.path, namespace: 'stand-in' }));
      build.onLoad({ filter: /.*/, namespace: 'stand-in' }, (args) => ({
        contents: args.path === 'events' ? 'export class EventEmitter { on() { return this; } emit() { return false; } }' : 'export default {};',
        loader: 'js',
      }));
    },
  };
  await writeFile(join(project, 'browser-core.mjs'), `import { createClient } from '@maestro-ci/sdk';\nconst m = createClient({ baseUrl: location.origin });\nm.nodes.get('x').then(console.log);\n`);
  await step(`browser bundle of the core ≤ ${budget.coreMinGzipBytes} B min+gzip, without socket.io-client or cloudevents`, async () => {
    const outdir = join(project, 'out-core');
    const result = await esbuild.build({
      entryPoints: [join(project, 'browser-core.mjs')],
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      minify: true,
      outdir,
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [nodeStandIns],
    });
    const [entryPath, entry] = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint);
    const inputs = Object.keys(entry.inputs);
    if (inputs.some((i) => /socket\.io-client|engine\.io-client|cloudevents|stand-in/.test(i))) throw new Error('the core entry chunk contains socket.io-client, cloudevents or a Node stand-in');
    const file = result.outputFiles.find((f) => f.path.endsWith(entryPath.split('/').pop()));
    const size = gzipSync(file.contents).length;
    console.log(`pack-test: core entry chunk ${file.contents.length} B minified, ${size} B gzip (budget ${budget.coreMinGzipBytes})`);
    if (size > budget.coreMinGzipBytes) throw new Error(`${size} B gzip exceeds the budget`);
  });
  await writeFile(join(project, 'browser-events.mjs'), `import { parseCloudEvent } from '@maestro-ci/sdk/events';\nconsole.log(parseCloudEvent);\n`);
  await step('browser bundle of ./events (with the README\'s stand-ins for events/http/https)', async () => {
    const result = await esbuild.build({ entryPoints: [join(project, 'browser-events.mjs')], bundle: true, format: 'esm', platform: 'browser', minify: true, write: false, outdir: join(project, 'out-events'), logLevel: 'silent', plugins: [nodeStandIns] });
    console.log(`pack-test: ./events bundle ${gzipSync(result.outputFiles[0].contents).length} B gzip`);
  });
} finally {
  stub.close();
  if (!process.env.KEEP_PACK_TEST) await rm(work, { recursive: true, force: true });
}

if (problems.length) {
  console.error(`pack-test: ${problems.length} problem(s)`);
  process.exitCode = 1;
} else {
  console.log('pack-test: all checks passed');
}
